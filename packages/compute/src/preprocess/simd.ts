/**
 * WebAssembly SIMD kernels for the hot loops of `analyze`: {@link simdArea2x2} (preprocessing) and
 * {@link simdRowMaxima} (findings).
 *
 * The fused preprocessing of 16-bit data with a 2×2 area factor (e.g. 512 → 256), in WebAssembly
 * SIMD: four output pixels per step, each the mean of a 2×2 block of windowed stored values,
 * normalised. The window is linear with a clamp, so it is computed (y = clamp(a·index + b, 0, 1),
 * index = (raw & mask) ^ flip) rather than looked up: WebAssembly SIMD has no gather. About three
 * times as fast as the JavaScript lookup loop (≈90 against ≈310 µs a 512×512 frame), copies
 * included.
 *
 * The module is assembled here from named opcodes (no toolchain, no binary blob) and compiled once,
 * on first use; where WebAssembly SIMD is missing, each kernel says so and the caller takes its
 * JavaScript path.
 */

const I32 = 0x7f
const F32 = 0x7d
const V128 = 0x7b
// core opcodes
const BLOCK = 0x02
const LOOP = 0x03
const END = 0x0b
const BR = 0x0c
const BR_IF = 0x0d
const LOCAL_GET = 0x20
const LOCAL_SET = 0x21
const F32_CONST = 0x43
const F32_STORE = 0x38
const F32_MAX = 0x97
const I32_GE_U = 0x4f
const I32_ADD = 0x6a
const I32_MUL = 0x6c
const I32_CONST = 0x41
const VOID = 0x40
// SIMD opcodes (0xfd prefix, LEB128 index)
const simd = {
  load: 0x00,
  store: 0x0b,
  shuffle: 0x0d,
  i16x8Splat: 0x10,
  f32x4Splat: 0x13,
  f32x4ExtractLane: 0x1f,
  and: 0x4e,
  xor: 0x51,
  extendLowU16: 0xa9,
  extendHighU16: 0xaa,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f32x4Pmin: 0xea,
  f32x4Pmax: 0xeb,
  convertI32: 0xfa,
} as const

function leb(n: number): number[] {
  const out: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n) byte |= 0x80
    out.push(byte)
  } while (n)
  return out
}
const op = (name: keyof typeof simd) => [0xfd, ...leb(simd[name])]
const get = (i: number) => [LOCAL_GET, i]
const set = (i: number) => [LOCAL_SET, i]
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body]

// parameters: src, dst, cols, height, width, mask, flip (i32); a, b, c, d (f32)
const [SRC, DST, COLS, H, W, MASK, FLIP, A, B, C, D] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
// locals: y, x, p0, p1, o, rowBytes (i32); vm, vf, va, vb, vc, vd, zero, one, a, b, lo, hi (v128)
const [Y, X, P0, P1, O, ROW] = [11, 12, 13, 14, 15, 16]
const [VM, VF, VA, VB, VC, VD, ZERO, ONE, RA, RB, LO, HI] = [
  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
]

/** 8 raw samples at `p` as indexes: (raw & mask) ^ flip, into local `into`. */
const loadIndexes = (p: number, into: number) => [
  ...get(p),
  ...op('load'),
  0,
  0,
  ...get(VM),
  ...op('and'),
  ...get(VF),
  ...op('xor'),
  ...set(into),
]
/** Four of the indexes in local `v` (low or high half) windowed: clamp(a·index + b, 0, 1). */
const windowed = (v: number, half: 'extendLowU16' | 'extendHighU16') => [
  ...get(v),
  ...op(half),
  ...op('convertI32'),
  ...get(VA),
  ...op('f32x4Mul'),
  ...get(VB),
  ...op('f32x4Add'),
  ...get(ZERO),
  ...op('f32x4Pmax'),
  ...get(ONE),
  ...op('f32x4Pmin'),
]
const f32 = (x: number) => [F32_CONST, ...new Uint8Array(Float32Array.of(x).buffer)]
const lanes = (first: number) =>
  [0, 2, 4, 6].flatMap((l) => [0, 1, 2, 3].map((b) => 4 * (l + first) + b))

/** The body of one step: 8 samples of two rows → 4 outputs, stored at `o`. */
const step = [
  ...[...loadIndexes(P0, RA), ...loadIndexes(P1, RB)],
  ...[...windowed(RA, 'extendLowU16'), ...windowed(RB, 'extendLowU16')],
  ...[...op('f32x4Add'), ...set(LO)],
  ...[...windowed(RA, 'extendHighU16'), ...windowed(RB, 'extendHighU16')],
  ...[...op('f32x4Add'), ...set(HI)],
  ...get(O),
  // horizontal pairs: lanes 0+1, 2+3 of lo, then of hi
  ...[...get(LO), ...get(HI), ...op('shuffle'), ...lanes(0)],
  ...[...get(LO), ...get(HI), ...op('shuffle'), ...lanes(1), ...op('f32x4Add')],
  ...[...get(VC), ...op('f32x4Mul'), ...get(VD), ...op('f32x4Add'), ...op('store'), 0, 0],
  ...[P0, P1, O].flatMap((p) => [...get(p), I32_CONST, 16, I32_ADD, ...set(p)]),
  ...[...get(X), I32_CONST, 4, I32_ADD, ...set(X)],
]

const body = [
  ...[
    [MASK, VM, 'i16x8Splat'],
    [FLIP, VF, 'i16x8Splat'],
    [A, VA, 'f32x4Splat'],
    [B, VB, 'f32x4Splat'],
    [C, VC, 'f32x4Splat'],
    [D, VD, 'f32x4Splat'],
  ].flatMap(([from, to, splat]) => [
    ...get(from as number),
    ...op(splat as keyof typeof simd),
    ...set(to as number),
  ]),
  ...f32(0),
  ...op('f32x4Splat'),
  ...set(ZERO),
  ...f32(1),
  ...op('f32x4Splat'),
  ...set(ONE),
  ...get(COLS),
  I32_CONST,
  2,
  I32_MUL,
  ...set(ROW),
  ...get(DST),
  ...set(O),
  // for (y = 0; y < height; y++) { p0 = src + 2·y·rowBytes; p1 = p0 + rowBytes; for (x …) step }
  BLOCK,
  VOID,
  LOOP,
  VOID,
  ...[...get(Y), ...get(H), I32_GE_U, BR_IF, 1],
  ...[...get(Y), I32_CONST, 2, I32_MUL, ...get(ROW), I32_MUL, ...get(SRC), I32_ADD, ...set(P0)],
  ...[...get(P0), ...get(ROW), I32_ADD, ...set(P1)],
  ...[I32_CONST, 0, ...set(X)],
  BLOCK,
  VOID,
  LOOP,
  VOID,
  ...[...get(X), ...get(W), I32_GE_U, BR_IF, 1],
  ...step,
  BR,
  0,
  END,
  END,
  ...[...get(Y), I32_CONST, 1, I32_ADD, ...set(Y)],
  BR,
  0,
  END,
  END,
  END,
]

// rowMaxima(src, h, w, dst): dst[y] = the largest of row y's w floats, NaN skipped (pmax keeps
// the running maximum unless it is less than the value); w a multiple of 4
const [RSRC, RH, RW, RDST, RY, RX, RP, ACC] = [0, 1, 2, 3, 4, 5, 6, 7]
const lane = (i: number) => [...get(ACC), ...op('f32x4ExtractLane'), i]
const rowMaxBody = [
  ...[...get(RSRC), ...set(RP)],
  BLOCK,
  VOID,
  LOOP,
  VOID,
  ...[...get(RY), ...get(RH), I32_GE_U, BR_IF, 1],
  ...[...f32(Number.NEGATIVE_INFINITY), ...op('f32x4Splat'), ...set(ACC)],
  ...[I32_CONST, 0, ...set(RX)],
  BLOCK,
  VOID,
  LOOP,
  VOID,
  ...[...get(RX), ...get(RW), I32_GE_U, BR_IF, 1],
  ...[...get(ACC), ...get(RP), ...op('load'), 0, 0, ...op('f32x4Pmax'), ...set(ACC)],
  ...[...get(RP), I32_CONST, 16, I32_ADD, ...set(RP)],
  ...[...get(RX), I32_CONST, 4, I32_ADD, ...set(RX)],
  BR,
  0,
  END,
  END,
  ...[...get(RDST), ...get(RY), I32_CONST, 4, I32_MUL, I32_ADD],
  ...[...lane(0), ...lane(1), F32_MAX, ...lane(2), ...lane(3), F32_MAX, F32_MAX],
  ...[F32_STORE, 2, 0],
  ...[...get(RY), I32_CONST, 1, I32_ADD, ...set(RY)],
  BR,
  0,
  END,
  END,
  END,
]

const name = (text: string) => [text.length, ...new TextEncoder().encode(text)]
const moduleBytes = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [
    2,
    ...[0x60, 11, ...Array(7).fill(I32), ...Array(4).fill(F32), 0],
    ...[0x60, 4, I32, I32, I32, I32, 0],
  ]),
  ...section(3, [2, 0, 1]),
  ...section(5, [1, 0x00, 1]),
  ...section(7, [
    3,
    ...[...name('memory'), 0x02, 0],
    ...[...name('area'), 0x00, 0],
    ...[...name('rowMaxima'), 0x00, 1],
  ]),
  ...section(10, [
    2,
    ...[...leb(5 + body.length), 2, 6, I32, 12, V128, ...body],
    ...[...leb(5 + rowMaxBody.length), 2, 3, I32, 1, V128, ...rowMaxBody],
  ]),
])

// the WebAssembly global as used here (the project's TypeScript libraries do not declare it)
type Wasm = {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: Record<string, unknown> }
}
type Kernel = {
  memory: { buffer: ArrayBuffer; grow(pages: number): number }
  area: (...args: number[]) => void
  rowMaxima: (src: number, h: number, w: number, dst: number) => void
}
let kernel: Kernel | null | undefined

function instance(): Kernel | null {
  if (kernel !== undefined) return kernel
  kernel = null
  const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly
  try {
    if (!wasm?.validate(moduleBytes)) return kernel
    const { exports } = new wasm.Instance(new wasm.Module(moduleBytes))
    kernel = {
      memory: exports.memory as Kernel['memory'],
      area: exports.area as Kernel['area'],
      rowMaxima: exports.rowMaxima as Kernel['rowMaxima'],
    }
  } catch {
    // no WebAssembly SIMD here: the JavaScript path
  }
  return kernel
}

/**
 * out[y·width + x] = (mean of the 2×2 block's clamp(a·index + b, 0, 1) − m) · inv, index =
 * (raw & mask) ^ flip, for 16-bit samples of a frame of 2·height rows × cols (cols ≥ 2·width).
 *
 * @returns false (nothing written) where WebAssembly SIMD is unavailable, width is not a
 * multiple of 4 or the frame is over {@link MAX_BYTES}: the caller takes its JavaScript path.
 */
export function simdArea2x2(
  pixels: Uint16Array,
  cols: number,
  mask: number,
  flip: number,
  a: number,
  b: number,
  out: Float32Array,
  height: number,
  width: number,
  m: number,
  inv: number,
): boolean {
  const k = width % 4 === 0 ? instance() : null
  if (!k) return false
  const n = 2 * height * cols
  const src = 0
  const dst = Math.ceil((n * 2) / 16) * 16
  const buffer = memoryOf(k, dst + height * width * 4)
  if (!buffer) return false
  new Uint16Array(buffer, src, n).set(pixels.subarray(0, n))
  k.area(src, dst, cols, height, width, mask, flip, a, b, 0.25 * inv, -m * inv)
  out.set(new Float32Array(buffer, dst, height * width))
  return true
}

/** The most WebAssembly memory the kernels use (it is kept once grown): larger frames take the JavaScript path. */
export const MAX_BYTES = 256 * 2 ** 20

/**
 * WebAssembly memory of at least `bytes`, grown when needed (views taken before are then stale);
 * undefined over {@link MAX_BYTES} or when it cannot grow.
 */
function memoryOf(k: Kernel, bytes: number): ArrayBuffer | undefined {
  if (bytes > MAX_BYTES) return undefined
  const have = k.memory.buffer.byteLength
  try {
    if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / 65_536))
  } catch {
    return undefined
  }
  return k.memory.buffer
}

let maximaScratch = new Float32Array(0)

/**
 * The largest value of each of the h rows of w floats from `from` in `data`, NaN skipped
 * (-Infinity for a row without any other value), as one SIMD pass.
 *
 * @returns a view over a reused buffer (valid until the next call), or undefined where
 * WebAssembly SIMD is unavailable, w is not a multiple of 4 or the plane is over
 * {@link MAX_BYTES}: the caller scans in JavaScript.
 */
export function simdRowMaxima(
  data: Float32Array,
  from: number,
  h: number,
  w: number,
): Float32Array | undefined {
  const k = w % 4 === 0 ? instance() : null
  if (!k) return undefined
  const n = h * w
  const buffer = memoryOf(k, n * 4 + h * 4)
  if (!buffer) return undefined
  new Float32Array(buffer, 0, n).set(data.subarray(from, from + n))
  k.rowMaxima(0, h, w, n * 4)
  if (maximaScratch.length < h) maximaScratch = new Float32Array(h)
  const maxima = maximaScratch.subarray(0, h)
  maxima.set(new Float32Array(buffer, n * 4, h))
  return maxima
}

import { simdRowMaxima } from '../preprocess/simd.js'

/** An [N, C, H, W] output's sizes, and where image `index` starts in its data. */
export function layoutOf(dims: readonly number[], index: number) {
  const channels = dims[1]!
  const h = dims[2]!
  const w = dims[3]!
  const plane = h * w
  return { channels, h, w, plane, base: index * channels * plane }
}

/** The grid index (of `size`) whose cell holds the centre of output index `i` (of `count`). */
export const nearest = (i: number, size: number, count: number): number =>
  Math.min(size - 1, Math.floor(((i + 0.5) * size) / count))

/** Softmax across the channels of pixel `p`, for `channel`. */
export function softmaxAt(
  data: Float32Array,
  base: number,
  plane: number,
  channels: number,
  channel: number,
  p: number,
): number {
  let max = Number.NEGATIVE_INFINITY
  for (let c = 0; c < channels; c++) max = Math.max(max, data[base + c * plane + p]!)
  let sum = 0
  for (let c = 0; c < channels; c++) sum += Math.exp(data[base + c * plane + p]! - max)
  return Math.exp(data[base + channel * plane + p]! - max) / sum
}

/**
 * A grid of h×w bytes scaled to rows×columns by nearest neighbour at pixel centres; output rows
 * that fall on the same grid row are copied, not recomputed, and with `nonZeroRows` (one flag per
 * grid row) rows that are all zero are left as allocated (zero), which makes sparse masks cheap.
 */
export function upscaleNearest(
  grid: Uint8Array,
  h: number,
  w: number,
  rows: number,
  columns: number,
  nonZeroRows?: Uint8Array,
): Uint8Array {
  const colMap = columnMap(w, columns)
  const out = new Uint8Array(rows * columns)
  let previous = -1
  for (let r = 0; r < rows; r++) {
    const src = nearest(r, h, rows)
    const dst = r * columns
    if (nonZeroRows && !nonZeroRows[src]) continue
    if (src === previous) out.copyWithin(dst, dst - columns, dst)
    else {
      const from = src * w
      for (let c = 0; c < columns; c++) out[dst + c] = grid[from + colMap[c]!]!
      previous = src
    }
  }
  return out
}

/** Activated scores: sigmoid per value, softmax across values, or as they are. */
export function activate(
  values: Float32Array,
  activation: 'sigmoid' | 'softmax' | 'none',
): number[] {
  const v = Array.from(values)
  if (activation === 'sigmoid') return v.map((x) => 1 / (1 + Math.exp(-x)))
  if (activation === 'softmax') {
    const max = Math.max(...v)
    const e = v.map((x) => Math.exp(x - max))
    const sum = e.reduce((a, b) => a + b, 0)
    return e.map((x) => x / sum)
  }
  return v
}

/**
 * The largest of `w` values from `from`, NaN skipped (-Infinity when there is none): four running
 * maxima, with comparisons rather than Math.max (which would keep NaN), over a row of a grid.
 */
export function rowMax(data: Float32Array, from: number, w: number): number {
  let a = Number.NEGATIVE_INFINITY
  let b = a
  let c = a
  let d = a
  let x = from
  // biome-ignore-start lint/complexity/useMathMinMax: Math.max would keep NaN, and is slower here
  for (const end = from + w - (w % 4); x < end; x += 4) {
    const p = data[x]!
    const q = data[x + 1]!
    const r = data[x + 2]!
    const s = data[x + 3]!
    a = p > a ? p : a
    b = q > b ? q : b
    c = r > c ? r : c
    d = s > d ? s : d
  }
  for (const end = from + w; x < end; x++) a = data[x]! > a ? data[x]! : a
  // biome-ignore-end lint/complexity/useMathMinMax: see above
  return Math.max(a, b, c, d)
}

let colMapScratch = new Int32Array(0)
let colMapKey = ''

/** The grid column of each of `columns` output columns (reused while the sizes stay the same). */
function columnMap(w: number, columns: number): Int32Array {
  const key = `${w}:${columns}`
  if (key === colMapKey) return colMapScratch
  colMapKey = ''
  if (colMapScratch.length !== columns) colMapScratch = new Int32Array(columns)
  for (let c = 0; c < columns; c++) colMapScratch[c] = nearest(c, w, columns)
  colMapKey = key
  return colMapScratch
}

let maximaScratch = new Float32Array(0)

/**
 * {@link rowMax} of each of the h rows of w values from `from`: one WebAssembly SIMD pass where
 * available, else row by row. A view over a reused buffer, valid until the next call.
 */
export function rowMaxima(data: Float32Array, from: number, h: number, w: number): Float32Array {
  const simd = simdRowMaxima(data, from, h, w)
  if (simd) return simd
  if (maximaScratch.length < h) maximaScratch = new Float32Array(h)
  const maxima = maximaScratch.subarray(0, h)
  for (let y = 0; y < h; y++) maxima[y] = rowMax(data, from + y * w, w)
  return maxima
}

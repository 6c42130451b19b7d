import { createHmac } from 'node:crypto'
import { weierstrass } from '@noble/curves/abstract/weierstrass'
import { secp256k1 } from '@noble/curves/secp256k1'
import { keccak_256 } from '@noble/hashes/sha3'

type Point = InstanceType<typeof secp256k1.ProjectivePoint>
const { ProjectivePoint: P, CURVE } = secp256k1
const N = CURVE.n
const HALF_N = N >> 1n

/**
 * A fixed-base table of a point, affine: entry `i·half + j` is `(j+1)·2^(w·i)·point`, its
 * coordinates in `xs`/`ys`.
 */
export type PointTable = { point: Point; w: number; windows: number; xs: bigint[]; ys: bigint[] }

/**
 * Precomputes `point`'s signed-window table (`w` bits a window): a multiplication by it is one
 * mixed addition per window and no doubling. About `(256/w + 1)·2^(w−1)` additions to build.
 */
export function pointTable(point: Point, w: number): PointTable {
  const windows = Math.ceil(256 / w) + 1
  const half = 1 << (w - 1)
  const entries: Point[] = []
  let base = point
  for (let i = 0; i < windows; i++) {
    let p = base
    for (let j = 0; j < half; j++) {
      entries.push(p)
      p = p.add(base)
    }
    base = entries[entries.length - 1]!.double() // 2·half·b = 2^w·b
  }
  const affine = P.normalizeZ(entries)
  return { point, w, windows, xs: affine.map((e) => e.px), ys: affine.map((e) => e.py) }
}

const FP = CURVE.Fp.ORDER
const fp = (a: bigint) => {
  const r = a % FP
  return r < 0n ? r + FP : r
}
/** A Jacobian point (x = X/Z², y = Y/Z³); `undefined` is the point at infinity. */
type Jacobian = { X: bigint; Y: bigint; Z: bigint } | undefined

function double({ X, Y, Z }: { X: bigint; Y: bigint; Z: bigint }): Jacobian {
  if (Y === 0n) return undefined
  const A = (X * X) % FP
  const B = (Y * Y) % FP
  const C = (B * B) % FP
  const D = fp(2n * ((X + B) * (X + B) - A - C))
  const E = 3n * A
  const X3 = fp(E * E - 2n * D)
  return { X: X3, Y: fp(E * (D - X3) - 8n * C), Z: (2n * Y * Z) % FP }
}

/** `acc + (x, y)` (madd-2007-bl; doubling and opposite points handled). */
function addAffine(acc: Jacobian, x: bigint, y: bigint): Jacobian {
  if (!acc) return { X: x, Y: y, Z: 1n }
  const { X, Y, Z } = acc
  const ZZ = (Z * Z) % FP
  const H = fp(x * ZZ - X)
  const r = fp(2n * (((y * Z) % FP) * ZZ - Y))
  if (H === 0n) return r === 0n ? double(acc) : undefined
  const HH = (H * H) % FP
  const I = 4n * HH
  const J = (H * I) % FP
  const V = (X * I) % FP
  const X3 = fp(r * r - J - 2n * V)
  return { X: X3, Y: fp(r * (V - X3) - 2n * Y * J), Z: fp((Z + H) * (Z + H) - ZZ - HH) }
}

/**
 * `Σ k·point` over tables, in variable time: for public values only (verification), never for
 * a secret scalar. Affine `{ x, y }`, or undefined for the point at infinity.
 */
export function multiplyPublic(
  terms: [PointTable, bigint][],
): { x: bigint; y: bigint } | undefined {
  let acc: Jacobian
  for (const [{ w, windows, xs, ys }, k] of terms) {
    const half = 1 << (w - 1)
    const mask = BigInt((1 << w) - 1)
    const shift = BigInt(w)
    let n = k
    for (let i = 0; i < windows; i++) {
      let d = Number(n & mask)
      n >>= shift
      if (d > half) {
        d -= 1 << w
        n += 1n
      }
      if (d > 0) acc = addAffine(acc, xs[i * half + d - 1]!, ys[i * half + d - 1]!)
      else if (d < 0) acc = addAffine(acc, xs[i * half - d - 1]!, fp(-ys[i * half - d - 1]!))
    }
  }
  if (!acc) return undefined
  const zi = CURVE.Fp.inv(acc.Z)
  const zi2 = (zi * zi) % FP
  return { x: (acc.X * zi2) % FP, y: (((acc.Y * zi2) % FP) * zi) % FP }
}

let baseTable: PointTable | undefined
const modN = (a: bigint) => ((a % N) + N) % N

function invN(a: bigint): bigint {
  let [x, y, u, v] = [modN(a), N, 1n, 0n]
  while (x !== 0n) {
    const q = y / x
    ;[y, x] = [x, y - q * x]
    ;[v, u] = [u, v - q * u]
  }
  return modN(v)
}

/** A 65-byte Ethereum signature `r‖s‖v` split; undefined when out of range (or high s). */
export function splitSignature(
  hex: string,
): { r: bigint; s: bigint; recovery: number } | undefined {
  if (!/^0x[0-9a-fA-F]{130}$/.test(hex)) return undefined
  const r = BigInt(`0x${hex.slice(2, 66)}`)
  const s = BigInt(`0x${hex.slice(66, 130)}`)
  const v = Number.parseInt(hex.slice(130), 16)
  const recovery = v >= 27 ? v - 27 : v
  if (r <= 0n || r >= N || s <= 0n || s > HALF_N || (recovery !== 0 && recovery !== 1))
    return undefined
  return { r, s, recovery }
}

/**
 * ECDSA verification of a 32-byte digest against a known public key's table, also requiring
 * the signature's recovery bit to name that key: true exactly when recovering the signer from
 * `(r, s, v)` would give `table.point` (low-s signatures only).
 */
export function verifyDigest(
  table: PointTable,
  digest: Uint8Array,
  sig: { r: bigint; s: bigint; recovery: number },
): boolean {
  baseTable ??= pointTable(P.BASE, 8)
  const h = modN(BigInt(`0x${Buffer.from(digest).toString('hex')}`))
  const w = invN(sig.s)
  const R = multiplyPublic([
    [baseTable, modN(h * w)],
    [table, modN(sig.r * w)],
  ])
  return R !== undefined && R.x === sig.r && Number(R.y & 1n) === sig.recovery
}

/** The public key that signed `digest` (ECDSA public key recovery); undefined if none. */
export function recoverPoint(
  digest: Uint8Array,
  sig: { r: bigint; s: bigint; recovery: number },
): Point | undefined {
  try {
    return new secp256k1.Signature(sig.r, sig.s)
      .addRecoveryBit(sig.recovery)
      .recoverPublicKey(digest)
  } catch {
    return undefined
  }
}

/** The Ethereum address (lowercase 0x…) of a public key. */
export function pointAddress(point: Point): string {
  const hash = keccak_256(point.toRawBytes(false).subarray(1))
  return `0x${Buffer.from(hash.subarray(12)).toString('hex')}`
}

/** noble's secp256k1 with node's native HMAC-SHA256 for RFC 6979 nonces (the same nonces). */
const signer = weierstrass({
  ...secp256k1.CURVE,
  hmac: (key: Uint8Array, ...messages: Uint8Array[]) => {
    const h = createHmac('sha256', key)
    for (const m of messages) h.update(m)
    return new Uint8Array(h.digest())
  },
} as Parameters<typeof weierstrass>[0])

/** Signs a 32-byte digest (RFC 6979, constant time, low s): `r‖s‖v` with v 27 or 28. */
export function signDigest(privateKey: string, digest: Uint8Array): string {
  const sig = signer.sign(digest, privateKey.replace(/^0x/, ''), { lowS: true })
  const hex = (n: bigint) => n.toString(16).padStart(64, '0')
  return `0x${hex(sig.r)}${hex(sig.s)}${(27 + sig.recovery).toString(16)}`
}

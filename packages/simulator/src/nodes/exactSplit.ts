import { allocate } from '@btt/core'

/** Limbs are 24-bit integers held in float64: a product of two is exact (< 2^48). */
const LIMB = 16_777_216
const LIMB_BITS = 24n
const MAX_G_LIMBS = 8

/**
 * One exact split of `amount` by weights `base[i] × mult[group[i]]`, with the same result as
 * @btt/core's `allocate` (largest remainder, ties to the lower index), to the base unit.
 * `base` holds each weight's non-negative integer base as `limbs` little-endian 24-bit limbs.
 */
export type SplitJob = {
  n: number
  limbs: number
  base: Float64Array
  group: Int32Array
  mult: readonly bigint[]
}

/** Scratch space and results of {@link exactSplit}, reused across epochs. */
export type SplitBuffers = {
  /** Each share is `hi × 2^48 + lo` base units (both exact integers in float64). */
  lo: Float64Array
  hi: Float64Array
  key: Float64Array
  scratch: Float64Array
  /** Epochs that needed the exact BigInt path (a near tie or an operand too wide). */
  fallbacks: number
}

export function splitBuffers(capacity: number): SplitBuffers {
  return {
    lo: new Float64Array(capacity),
    hi: new Float64Array(capacity),
    key: new Float64Array(capacity),
    scratch: new Float64Array(capacity),
    fallbacks: 0,
  }
}

/** The base of weight `i` as a bigint. */
export function baseOf(job: SplitJob, i: number): bigint {
  let v = 0n
  for (let a = job.limbs - 1; a >= 0; a--)
    v = (v << LIMB_BITS) | BigInt(job.base[i * job.limbs + a]!)
  return v
}

/**
 * Splits `amount` exactly (see {@link SplitJob}) in O(n) float64 work per weight: each share
 * is `base × G` with `G = floor(amount × mult × 2^K / W)` computed once per group, which gives
 * the floor exactly and the remainder to within 2^-48 of a unit; the few remainders that
 * decide the last units and lie that close to each other are compared exactly with bigints.
 * When the shortcut cannot be proved exact it falls back to `allocate` itself.
 *
 * @returns false when every weight is zero (nothing is split).
 */
export function exactSplit(job: SplitJob, amount: bigint, out: SplitBuffers): boolean {
  const { n, limbs, base, group, mult } = job
  const groups = mult.length
  const sums = new Float64Array(groups * limbs)
  for (let i = 0; i < n; i++) {
    const o = i * limbs
    const g = group[i]! * limbs
    for (let a = 0; a < limbs; a++) sums[g + a]! += base[o + a]!
  }
  let total = 0n
  for (let g = 0; g < groups; g++) {
    let t = 0n
    for (let a = limbs - 1; a >= 0; a--) t = t * BigInt(LIMB) + BigInt(sums[g * limbs + a]!)
    total += t * mult[g]!
  }
  if (total === 0n) return false
  const fracLimbs = limbs + 2
  const K = BigInt(24 * fracLimbs)
  const gLimbs = new Float64Array(groups * MAX_G_LIMBS)
  for (let g = 0; g < groups; g++) {
    let G = ((amount * mult[g]!) << K) / total
    for (let b = 0; b < MAX_G_LIMBS; b++) {
      gLimbs[g * MAX_G_LIMBS + b] = Number(G & 0xffffffn)
      G >>= LIMB_BITS
    }
    if (G !== 0n) return fallback(job, amount, out)
  }
  const ok = products(job, gLimbs, fracLimbs, out)
  if (!ok) return fallback(job, amount, out)
  return settle(job, amount, total, out) || fallback(job, amount, out)
}

const cols = new Float64Array(4 + MAX_G_LIMBS + 8)

/** Per weight: the floor of its share (lo/hi) and its remainder as a fraction (key). */
function products(
  job: SplitJob,
  gLimbs: Float64Array,
  fracLimbs: number,
  out: SplitBuffers,
): boolean {
  const { n, limbs, base, group } = job
  const width = limbs + MAX_G_LIMBS
  const { lo, hi, key } = out
  const near1 = 1 - 2 ** -44
  for (let i = 0; i < n; i++) {
    const o = i * limbs
    const go = group[i]! * MAX_G_LIMBS
    cols.fill(0, 0, width + 1)
    for (let a = 0; a < limbs; a++) {
      const x = base[o + a]!
      if (x === 0) continue
      for (let b = 0; b < MAX_G_LIMBS; b++) cols[a + b]! += x * gLimbs[go + b]!
    }
    let carry = 0
    for (let k = 0; k <= width; k++) {
      const t = cols[k]! + carry
      carry = Math.floor(t / LIMB)
      cols[k] = t - carry * LIMB
    }
    const f = fracLimbs
    const k0 = (cols[f - 1]! * LIMB + cols[f - 2]! + cols[f - 3]! / LIMB) / (LIMB * LIMB)
    if (k0 > near1) return false
    key[i] = k0
    lo[i] = cols[f]! + cols[f + 1]! * LIMB
    let h = 0
    for (let k = width; k >= f + 2; k--) h = h * LIMB + cols[k]!
    if (h >= 2 ** 53) return false
    hi[i] = h
  }
  return true
}

const TOL = 2 ** -42

/** Hands out the units left after the floors: to the largest remainders, ties to lower index. */
function settle(job: SplitJob, amount: bigint, total: bigint, out: SplitBuffers): boolean {
  const { n } = job
  const { lo, hi, key, scratch } = out
  let sumA = 0
  let sumB = 0
  let sumHi = 0
  for (let i = 0; i < n; i++) {
    const b = Math.floor(lo[i]! / LIMB)
    sumA += lo[i]! - b * LIMB
    sumB += b
    sumHi += hi[i]!
  }
  if (sumHi >= 2 ** 53) return false
  const left = amount - (BigInt(sumHi) << 48n) - (BigInt(sumB) << 24n) - BigInt(sumA)
  if (left < 0n || left >= BigInt(n)) return false
  const L = Number(left)
  if (L === 0) return true
  scratch.set(key.subarray(0, n))
  const cut = kthLargest(scratch, n, L)
  let above = 0
  const band: number[] = []
  for (let i = 0; i < n; i++) {
    const d = key[i]! - cut
    if (d > 2 * TOL) above++
    else if (d >= -TOL && d <= TOL) band.push(i)
    else if (d > -2 * TOL) return false
  }
  for (let i = 0; i < n; i++) if (key[i]! - cut > 2 * TOL) bump(out, i)
  let need = L - above
  if (need === band.length) {
    for (const i of band) bump(out, i)
    return true
  }
  const exact = band.map((i) => ({ i, r: (amount * weightOf(job, i)) % total }))
  exact.sort((a, b) => (a.r > b.r ? -1 : a.r < b.r ? 1 : a.i - b.i))
  for (const { i } of exact) if (need-- > 0) bump(out, i)
  return true
}

function bump(out: SplitBuffers, i: number): void {
  const v = out.lo[i]! + 1
  if (v >= 2 ** 48) {
    out.lo[i] = v - 2 ** 48
    out.hi[i]! += 1
  } else out.lo[i] = v
}

function weightOf(job: SplitJob, i: number): bigint {
  return baseOf(job, i) * job.mult[job.group[i]!]!
}

/** The exact path: @btt/core's `allocate` on bigint weights. */
function fallback(job: SplitJob, amount: bigint, out: SplitBuffers): boolean {
  out.fallbacks++
  const weights = Array.from({ length: job.n }, (_, i) => weightOf(job, i))
  if (!weights.some((w) => w > 0n)) return false
  const shares = allocate(amount, weights)
  for (let i = 0; i < job.n; i++) {
    const s = shares[i]!
    out.hi[i] = Number(s >> 48n)
    out.lo[i] = Number(s & 0xffffffffffffn)
  }
  return true
}

/** The k-th largest (1-based) of the first n values; reorders them. */
function kthLargest(v: Float64Array, n: number, k: number): number {
  let lo = 0
  let hi = n - 1
  const target = k - 1
  while (lo < hi) {
    const pivot = v[(lo + hi) >>> 1]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (v[i]! > pivot) i++
      while (v[j]! < pivot) j--
      if (i <= j) {
        const t = v[i]!
        v[i] = v[j]!
        v[j] = t
        i++
        j--
      }
    }
    if (target <= j) hi = j
    else if (target >= i) lo = i
    else return v[target]!
  }
  return v[lo]!
}

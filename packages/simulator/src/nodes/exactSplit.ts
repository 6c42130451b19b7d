import { allocate } from '@btt/core'
import { limbKey } from './limbKey.js'
import {
  BUCKETS,
  G_LIMBS,
  type GroupOrder,
  groupOrder,
  LIMB,
  products3,
  productsFloat,
  productsNarrow,
  productsWide,
  type SplitBuffers,
} from './splitProducts.js'
import { products3Short, productsWideShort } from './splitProductsShort.js'

export { type SplitBuffers, shareOf, splitBuffers } from './splitProducts.js'

/** Limbs are 24-bit integers held in float64: a product of two is exact (< 2^48). */
const LIMB_BITS = 24n
/** Weights have four limbs (< 2^96); remainders are kept to K = 144 bits; G has seven limbs. */
const K = 144n

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
  /**
   * Each group's sum of bases, limb by limb, kept up to date by the caller as weights change
   * (exact: each limb is below 2^24, so fewer than 2^29 weights sum exactly); summed here when
   * left out.
   */
  sums?: Float64Array
  /**
   * Per weight, an upper bound on its base's limbs (2, 3 or 4) while the order is valid; 4 when
   * left out.
   */
  width?: Uint8Array
  /** The slots of each group (kept here by {@link exactSplit}; `valid: false` when weights move). */
  order?: GroupOrder
  /**
   * Each weight's base as one float64, kept by the caller beside the limbs when every base is an
   * integer below 2^53 (then exactly `base[4i] + base[4i+1] × 2^24 + base[4i+2] × 2^48`).
   */
  whole?: Float64Array
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
  const { limbs, mult } = job
  const groups = mult.length
  out.cut = BUCKETS - 1
  out.hiZero = false
  if (limbs !== 4) return fallback(job, amount, out)
  const sums = job.sums ?? groupSums(job)
  let total = 0n
  for (let g = 0; g < groups; g++) total += limbsValue(sums, g * 4) * mult[g]!
  if (total === 0n) return false
  if (groups === 1 && mult[0] === 1n && total < 2n ** 53n && amount < 2n ** 48n) {
    resetBuckets(out)
    const whole = job.whole ?? wholeOf(job)
    const err = productsFloat(whole, job.n, Number(amount), Number(total), out)
    // every share is below amount < 2^48: `hi` is 0 (not written); keys from float64 are off by
    // less than `err`: widen the band that is compared exactly
    out.hiZero = true
    const g = Number(amount) / Number(total)
    const keyOf = (i: number) => whole[i]! * g - Math.floor(whole[i]! * g)
    if (
      err >= 0 &&
      err < 2 ** -24 &&
      settle(job, { amount, total, tol: Math.max(TOL, 4 * err), keyOf }, out)
    )
      return true
    out.hiZero = false
    if (err >= 0 && err < 2 ** -24) return fallback(job, amount, out)
  }
  const gLimbs = new Float64Array(groups * G_LIMBS)
  for (let g = 0; g < groups; g++)
    if (!toLimbs(((amount * mult[g]!) << K) / total, gLimbs, g * G_LIMBS))
      return fallback(job, amount, out)
  if (!products(job, gLimbs, sums, out)) return fallback(job, amount, out)
  const { base, group } = job
  const keyOf = (i: number) => limbKey(base, i, gLimbs, group[i]! * G_LIMBS)
  return settle(job, { amount, total, tol: TOL, keyOf }, out) || fallback(job, amount, out)
}

const INV = 1 / LIMB

/**
 * The value of four limb sums at `o` (each an integer below 2^53, not yet carried): carried in
 * float64 (exact: every step stays an integer below 2^53), then taken as two 48-bit halves.
 */
function limbsValue(sums: Float64Array, o: number): bigint {
  let c = Math.floor(sums[o]! * INV)
  const l0 = sums[o]! - c * LIMB
  let t = sums[o + 1]! + c
  c = Math.floor(t * INV)
  const low = l0 + (t - c * LIMB) * LIMB
  t = sums[o + 2]! + c
  c = Math.floor(t * INV)
  const l2 = t - c * LIMB
  const top = sums[o + 3]! + c
  const high = top < 2 ** 29 ? BigInt(l2 + top * LIMB) : (BigInt(top) << 24n) + BigInt(l2)
  return (high << 48n) + BigInt(low)
}

/**
 * Writes `G` as {@link G_LIMBS} 24-bit limbs at `at`, 48 bits per bigint step.
 * @returns false when `G` needs more limbs.
 */
function toLimbs(G: bigint, g: Float64Array, at: number): boolean {
  for (let b = 0; b < G_LIMBS; b += 2) {
    const w = Number(BigInt.asUintN(48, G))
    const upper = Math.floor(w * INV)
    g[at + b] = w - upper * LIMB
    if (b + 1 < G_LIMBS) g[at + b + 1] = upper
    else if (upper !== 0) return false
    G >>= 48n
  }
  return G === 0n
}

/** Each weight's base as one float64 (exact for bases below 2^53, the float path's case). */
function wholeOf(job: SplitJob): Float64Array {
  const { n, base } = job
  const whole = new Float64Array(n)
  for (let i = 0; i < n; i++)
    whole[i] = base[i * 4]! + base[i * 4 + 1]! * LIMB + base[i * 4 + 2]! * LIMB * LIMB
  return whole
}

/** Each group's sum of bases, limb by limb (exact: fewer than 2^29 weights of 24-bit limbs). */
export function groupSums(job: SplitJob): Float64Array {
  const { n, base, group } = job
  const sums = new Float64Array(job.mult.length * 4)
  for (let i = 0; i < n; i++) {
    const o = i * 4
    const g = group[i]! * 4
    sums[g]! += base[o]!
    sums[g + 1]! += base[o + 1]!
    sums[g + 2]! += base[o + 2]!
    sums[g + 3]! += base[o + 3]!
  }
  return sums
}

const FULL = [productsNarrow, products3, productsWide]
const SHORT = [productsNarrow, products3Short, productsWideShort]

/**
 * Each group's products, with its `G` limbs held in registers, by the width of the bases (a
 * group whose sums fit two limbs takes two for all).
 */
function products(job: SplitJob, g: Float64Array, sums: Float64Array, out: SplitBuffers): boolean {
  const groups = job.mult.length
  const order = groupOrder(job.n, job.group, groups, job.width, job.order)
  job.order = order
  resetBuckets(out)
  out.sum.fill(0)
  for (let k = 0; k < groups; k++) {
    const narrow = sums[k * 4 + 2] === 0 && sums[k * 4 + 3] === 0
    // G's top limb is 0 as a rule: the loops without its (zero) products
    const loops = g[k * G_LIMBS + 6] === 0 ? SHORT : FULL
    for (let w = 0; w < 3; w++) {
      const r = k * 3 + w
      const run = {
        slots: order.lists[r]!,
        from: 0,
        to: order.counts[r]!,
        g,
        at: k * G_LIMBS,
      }
      if (run.from === run.to) continue
      if (!(narrow ? productsNarrow : loops[w]!)(job.base, run, out)) return false
    }
  }
  return out.sum[2]! < 2 ** 53
}

/** Keys closer than this to the cut are compared exactly (the keys' own error is below 2^-45.9). */
const TOL = 2 ** -42

/**
 * Hands out the units left after the floors to the largest remainders (ties to the lower index):
 * the histogram of keys names the bucket that holds the cut; every node above that bucket is owed
 * its unit (`out.cut`, added where the shares are read), and the bucket is gathered (one pass over
 * the 16-bit buckets) and settled on its own.
 */
function settle(
  job: SplitJob,
  at: { amount: bigint; total: bigint; tol: number; keyOf: (i: number) => number },
  out: SplitBuffers,
): boolean {
  const { amount, total, tol } = at
  const { n } = job
  const { counts, members } = out
  const [sumA, sumB, sumHi] = out.sum as unknown as [number, number, number]
  const left = amount - (BigInt(sumHi) << 48n) - (BigInt(sumB) << 24n) - BigInt(sumA)
  if (left < 0n || left >= BigInt(n)) return false
  const L = Number(left)
  if (L === 0) return true
  let b = BUCKETS - 1
  let above = 0
  while (above + counts[b]! < L) above += counts[b--]!
  // everyone above the cut's bucket is owed a unit (added where the shares are read: `cut`)
  let m = 0
  const { bucket } = out
  for (let i = 0; i < n; i++) if (bucket[i] === b) members[m++] = i
  for (let j = 0; j < m; j++) out.key[members[j]!] = at.keyOf(members[j]!)
  out.cut = b
  return settleBucket(job, { amount, total, need: L - above, bucket: b, m, tol }, out)
}

/**
 * The cut's bucket: its `need` largest keys get a unit. When the cut is clear of its neighbours
 * by more than twice the keys' error, the order is certain; keys within {@link TOL} of the cut
 * (`tol`) are compared exactly (bigint remainders); anything in between, or a cut near the bucket's
 * edge, answers false (the caller falls back to `allocate`).
 */
function settleBucket(
  job: SplitJob,
  at: { amount: bigint; total: bigint; need: number; bucket: number; m: number; tol: number },
  out: SplitBuffers,
): boolean {
  const { key } = out
  const TOL = at.tol
  const sorted = out.members.subarray(0, at.m).sort((x, y) => key[y]! - key[x]! || x - y)
  const cut = key[sorted[at.need - 1]!]!
  const next = at.need < at.m ? key[sorted[at.need]!]! : at.bucket / BUCKETS
  if (cut - next > 2 * TOL) {
    for (let j = 0; j < at.need; j++) bump(out, sorted[j]!)
    return true
  }
  if (cut - 2 * TOL < at.bucket / BUCKETS || cut + 2 * TOL >= (at.bucket + 1) / BUCKETS)
    return false
  let need = at.need
  const band: number[] = []
  for (const i of sorted) {
    const k = key[i]!
    if (k > cut + 2 * TOL) {
      bump(out, i)
      need--
    } else if (k >= cut - TOL && k <= cut + TOL) band.push(i)
    else if (k > cut - 2 * TOL) return false
  }
  const exact = band.map((i) => ({ i, r: (at.amount * weightOf(job, i)) % at.total }))
  exact.sort((a, b) => (a.r > b.r ? -1 : a.r < b.r ? 1 : a.i - b.i))
  for (const { i } of exact) if (need-- > 0) bump(out, i)
  return true
}

function resetBuckets(out: SplitBuffers): void {
  out.counts.fill(0)
}

function bump(out: SplitBuffers, i: number): void {
  const v = out.lo[i]! + 1
  if (v === 2 ** 48) carry(out, i)
  else out.lo[i] = v
}

/** lo reached 2^48: it becomes 0 and hi takes the unit. */
function carry(out: SplitBuffers, i: number): void {
  out.lo[i] = 0
  out.hi[i]! += 1
}

function weightOf(job: SplitJob, i: number): bigint {
  return baseOf(job, i) * job.mult[job.group[i]!]!
}

/** The exact path: @btt/core's `allocate` on bigint weights. */
function fallback(job: SplitJob, amount: bigint, out: SplitBuffers): boolean {
  out.fallbacks++
  out.cut = BUCKETS - 1
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

import { BUCKETS, type GroupRun, LIMB, type SplitBuffers } from './splitProducts.js'

/**
 * {@link products3} and {@link productsWide} when `G`'s top limb is 0 (the usual case: `G` is
 * about amount × mult × 2^144 / W, below 2^144): the same integer columns with the zero products
 * left out, so the same floors, keys and sums to the bit (the top carry is `hi` as it is).
 */
const INV = 1 / LIMB
const NEAR_1 = 1 - 2 ** -44

/** {@link products3} for `G` below 2^144. */
export function products3Short(base: Float64Array, run: GroupRun, out: SplitBuffers): boolean {
  const { slots, from, to, g, at } = run
  const { lo, hi, key, counts, head, next, sum } = out
  const g1 = g[at + 1]!
  const g2 = g[at + 2]!
  const g3 = g[at + 3]!
  const g4 = g[at + 4]!
  const g5 = g[at + 5]!
  let sumA = 0
  let sumB = 0
  let sumHi = 0
  for (let k = from; k < to; k++) {
    const i = slots[k]!
    const o = i * 4
    const x0 = base[o]!
    const x1 = base[o + 1]!
    const x2 = base[o + 2]!
    let t = x0 * g3 + x1 * g2 + x2 * g1
    let c = Math.floor(t * INV)
    const v3 = t - c * LIMB
    t = x0 * g4 + x1 * g3 + x2 * g2 + c
    c = Math.floor(t * INV)
    const v4 = t - c * LIMB
    t = x0 * g5 + x1 * g4 + x2 * g3 + c
    c = Math.floor(t * INV)
    const v5 = t - c * LIMB
    t = x1 * g5 + x2 * g4 + c
    c = Math.floor(t * INV)
    const v6 = t - c * LIMB
    t = x2 * g5 + c
    c = Math.floor(t * INV)
    const v7 = t - c * LIMB
    const k0 = (v5 * LIMB + v4 + v3 * INV) * (INV * INV)
    if (k0 > NEAR_1) return false
    key[i] = k0
    const b = (k0 * BUCKETS) | 0
    counts[b]!++
    next[i] = head[b]!
    head[b] = i
    lo[i] = v6 + v7 * LIMB
    hi[i] = c
    sumA += v6
    sumB += v7
    sumHi += c
  }
  sum[0]! += sumA
  sum[1]! += sumB
  sum[2]! += sumHi
  return true
}

/** {@link productsWide} for `G` below 2^144. */
export function productsWideShort(base: Float64Array, run: GroupRun, out: SplitBuffers): boolean {
  const { slots, from, to, g, at } = run
  const { lo, hi, key, counts, head, next, sum } = out
  const g0 = g[at]!
  const g1 = g[at + 1]!
  const g2 = g[at + 2]!
  const g3 = g[at + 3]!
  const g4 = g[at + 4]!
  const g5 = g[at + 5]!
  let sumA = 0
  let sumB = 0
  let sumHi = 0
  for (let k = from; k < to; k++) {
    const i = slots[k]!
    const o = i * 4
    const x0 = base[o]!
    const x1 = base[o + 1]!
    const x2 = base[o + 2]!
    const x3 = base[o + 3]!
    let t = x0 * g3 + x1 * g2 + x2 * g1 + x3 * g0
    let c = Math.floor(t * INV)
    const v3 = t - c * LIMB
    t = x0 * g4 + x1 * g3 + x2 * g2 + x3 * g1 + c
    c = Math.floor(t * INV)
    const v4 = t - c * LIMB
    t = x0 * g5 + x1 * g4 + x2 * g3 + x3 * g2 + c
    c = Math.floor(t * INV)
    const v5 = t - c * LIMB
    t = x1 * g5 + x2 * g4 + x3 * g3 + c
    c = Math.floor(t * INV)
    const v6 = t - c * LIMB
    t = x2 * g5 + x3 * g4 + c
    c = Math.floor(t * INV)
    const v7 = t - c * LIMB
    t = x3 * g5 + c
    c = Math.floor(t * INV)
    const v8 = t - c * LIMB
    const k0 = (v5 * LIMB + v4 + v3 * INV) * (INV * INV)
    if (k0 > NEAR_1) return false
    key[i] = k0
    const b = (k0 * BUCKETS) | 0
    counts[b]!++
    next[i] = head[b]!
    head[b] = i
    lo[i] = v6 + v7 * LIMB
    const h = v8 + c * LIMB
    hi[i] = h
    sumA += v6
    sumB += v7
    sumHi += h
  }
  sum[0]! += sumA
  sum[1]! += sumB
  sum[2]! += sumHi
  return true
}

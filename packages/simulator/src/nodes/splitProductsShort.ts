import { BUCKETS, type GroupRun, LIMB, type SplitBuffers } from './splitProducts.js'

/**
 * {@link products3} and {@link productsWide} when `G`'s top limb is 0 (the usual case: `G` is
 * about amount × mult × 2^144 / W, below 2^144): the same integer columns with the zero products
 * left out, so the same floors, keys and sums to the bit (the top carry is `hi` as it is).
 */
const INV = 1 / LIMB
const NEAR_1 = 1 - 2 ** -44

/** {@link products3Short} one weight at a time (the last of an odd count). */
function products3ShortOne(base: Float64Array, run: GroupRun, out: SplitBuffers): boolean {
  const { slots, from, to, g, at } = run
  const { lo, hi, counts, bucket, sum } = out
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
    const b = (k0 * BUCKETS) | 0
    counts[b]!++
    bucket[i] = b
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

/** {@link productsWideShort} one weight at a time (the last of an odd count). */
function productsWideShortOne(base: Float64Array, run: GroupRun, out: SplitBuffers): boolean {
  const { slots, from, to, g, at } = run
  const { lo, hi, counts, bucket, sum } = out
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
    const b = (k0 * BUCKETS) | 0
    counts[b]!++
    bucket[i] = b
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

/** {@link products3} for `G` below 2^144, 2 weights at a time (their carry chains overlap). */
export function products3Short(base: Float64Array, run: GroupRun, out: SplitBuffers): boolean {
  const { slots, from, to, g, at } = run
  const g1 = g[at + 1]!
  const g2 = g[at + 2]!
  const g3 = g[at + 3]!
  const g4 = g[at + 4]!
  const g5 = g[at + 5]!
  let sumA = 0
  let sumB = 0
  let sumHi = 0
  let k = from
  for (; k + 1 < to; k += 2) {
    const ia = slots[k]!
    const ib = slots[k + 1]!
    const x0a = base[ia * 4]!
    const x0b = base[ib * 4]!
    const x1a = base[ia * 4 + 1]!
    const x1b = base[ib * 4 + 1]!
    const x2a = base[ia * 4 + 2]!
    const x2b = base[ib * 4 + 2]!
    let ta = x0a * g3 + x1a * g2 + x2a * g1
    let tb = x0b * g3 + x1b * g2 + x2b * g1
    let ca = Math.floor(ta * INV)
    let cb = Math.floor(tb * INV)
    const v3a = ta - ca * LIMB
    const v3b = tb - cb * LIMB
    ta = x0a * g4 + x1a * g3 + x2a * g2 + ca
    tb = x0b * g4 + x1b * g3 + x2b * g2 + cb
    ca = Math.floor(ta * INV)
    cb = Math.floor(tb * INV)
    const v4a = ta - ca * LIMB
    const v4b = tb - cb * LIMB
    ta = x0a * g5 + x1a * g4 + x2a * g3 + ca
    tb = x0b * g5 + x1b * g4 + x2b * g3 + cb
    ca = Math.floor(ta * INV)
    cb = Math.floor(tb * INV)
    const v5a = ta - ca * LIMB
    const v5b = tb - cb * LIMB
    ta = x1a * g5 + x2a * g4 + ca
    tb = x1b * g5 + x2b * g4 + cb
    ca = Math.floor(ta * INV)
    cb = Math.floor(tb * INV)
    const v6a = ta - ca * LIMB
    const v6b = tb - cb * LIMB
    ta = x2a * g5 + ca
    tb = x2b * g5 + cb
    ca = Math.floor(ta * INV)
    cb = Math.floor(tb * INV)
    const v7a = ta - ca * LIMB
    const v7b = tb - cb * LIMB
    const ka = (v5a * LIMB + v4a + v3a * INV) * (INV * INV)
    if (!keep(out, ia, ka, v6a + v7a * LIMB, ca)) return false
    sumA += v6a
    sumB += v7a
    sumHi += ca
    const kb = (v5b * LIMB + v4b + v3b * INV) * (INV * INV)
    if (!keep(out, ib, kb, v6b + v7b * LIMB, cb)) return false
    sumA += v6b
    sumB += v7b
    sumHi += cb
  }
  out.sum[0]! += sumA
  out.sum[1]! += sumB
  out.sum[2]! += sumHi
  return k === to || products3ShortOne(base, { slots, from: k, to, g, at }, out)
}

/** {@link productsWide} for `G` below 2^144, 2 weights at a time (their carry chains overlap). */
export function productsWideShort(base: Float64Array, run: GroupRun, out: SplitBuffers): boolean {
  const { slots, from, to, g, at } = run
  const g0 = g[at]!
  const g1 = g[at + 1]!
  const g2 = g[at + 2]!
  const g3 = g[at + 3]!
  const g4 = g[at + 4]!
  const g5 = g[at + 5]!
  let sumA = 0
  let sumB = 0
  let sumHi = 0
  let k = from
  for (; k + 1 < to; k += 2) {
    const ia = slots[k]!
    const ib = slots[k + 1]!
    const x0a = base[ia * 4]!
    const x0b = base[ib * 4]!
    const x1a = base[ia * 4 + 1]!
    const x1b = base[ib * 4 + 1]!
    const x2a = base[ia * 4 + 2]!
    const x2b = base[ib * 4 + 2]!
    const x3a = base[ia * 4 + 3]!
    const x3b = base[ib * 4 + 3]!
    let ta = x0a * g3 + x1a * g2 + x2a * g1 + x3a * g0
    let tb = x0b * g3 + x1b * g2 + x2b * g1 + x3b * g0
    let ca = Math.floor(ta * INV)
    let cb = Math.floor(tb * INV)
    const v3a = ta - ca * LIMB
    const v3b = tb - cb * LIMB
    ta = x0a * g4 + x1a * g3 + x2a * g2 + x3a * g1 + ca
    tb = x0b * g4 + x1b * g3 + x2b * g2 + x3b * g1 + cb
    ca = Math.floor(ta * INV)
    cb = Math.floor(tb * INV)
    const v4a = ta - ca * LIMB
    const v4b = tb - cb * LIMB
    ta = x0a * g5 + x1a * g4 + x2a * g3 + x3a * g2 + ca
    tb = x0b * g5 + x1b * g4 + x2b * g3 + x3b * g2 + cb
    ca = Math.floor(ta * INV)
    cb = Math.floor(tb * INV)
    const v5a = ta - ca * LIMB
    const v5b = tb - cb * LIMB
    ta = x1a * g5 + x2a * g4 + x3a * g3 + ca
    tb = x1b * g5 + x2b * g4 + x3b * g3 + cb
    ca = Math.floor(ta * INV)
    cb = Math.floor(tb * INV)
    const v6a = ta - ca * LIMB
    const v6b = tb - cb * LIMB
    ta = x2a * g5 + x3a * g4 + ca
    tb = x2b * g5 + x3b * g4 + cb
    ca = Math.floor(ta * INV)
    cb = Math.floor(tb * INV)
    const v7a = ta - ca * LIMB
    const v7b = tb - cb * LIMB
    const ha = x3a * g5 + ca
    const hb = x3b * g5 + cb
    const ka = (v5a * LIMB + v4a + v3a * INV) * (INV * INV)
    if (!keep(out, ia, ka, v6a + v7a * LIMB, ha)) return false
    sumA += v6a
    sumB += v7a
    sumHi += ha
    const kb = (v5b * LIMB + v4b + v3b * INV) * (INV * INV)
    if (!keep(out, ib, kb, v6b + v7b * LIMB, hb)) return false
    sumA += v6b
    sumB += v7b
    sumHi += hb
  }
  out.sum[0]! += sumA
  out.sum[1]! += sumB
  out.sum[2]! += sumHi
  return k === to || productsWideShortOne(base, { slots, from: k, to, g, at }, out)
}

/**
 * Stores weight `i`'s key, its bucket and its floor (`lo`, `hi`).
 * @returns false when the key is too close to a whole unit to trust the floor.
 */
function keep(out: SplitBuffers, i: number, k0: number, lo: number, hi: number): boolean {
  if (k0 > NEAR_1) return false
  const b = (k0 * BUCKETS) | 0
  out.counts[b]!++
  out.bucket[i] = b
  out.lo[i] = lo
  out.hi[i] = hi
  return true
}

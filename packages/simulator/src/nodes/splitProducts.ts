/**
 * The per-weight work of {@link exactSplit}: each share is `base × G / 2^144`, with the base in
 * four 24-bit limbs and `G` in seven (all exact integers in float64; a product of two limbs is
 * below 2^48 and a column of at most four products plus its carry stays below 2^53).
 *
 * Only the columns from 3 up are formed: the floor of a share is columns 6 and up, its remainder
 * (the key) columns 3–5. Leaving out columns 0–2 (below 3 × 2^96 + 2^73 in all) and the floor
 * in `G` (below base / 2^144 ≤ 2^-48 of a unit) makes each key an underestimate by less than
 * 2^-45.9 of a unit, so the floor is exact whenever the key is at most 1 − 2^-44 (checked) and
 * two keys more than 2^-45 apart are in the right order.
 */

export const LIMB = 16_777_216
export const G_LIMBS = 7
/** Buckets of the keys' histogram (the cut is searched in one bucket). */
export const BUCKETS = 2048
const INV = 1 / LIMB
const NEAR_1 = 1 - 2 ** -44

/** Scratch space and results of {@link exactSplit}, reused across epochs. */
export type SplitBuffers = {
  /** Each share is `hi × 2^48 + lo` base units (both exact integers in float64). */
  lo: Float64Array
  hi: Float64Array
  /** The keys of the cut bucket's nodes only (the loops keep the buckets, not the keys). */
  key: Float64Array
  /** The nodes in the bucket of keys that holds the cut (indices). */
  members: Int32Array
  /** Keys per bucket (a histogram filled while the products are taken). */
  counts: Int32Array
  /** Each key's bucket (`key × BUCKETS`, floored), for reading the shares (see `cut`). */
  bucket: Uint16Array
  /** Whether every `hi` is 0 (the float path: `hi` is then not written). */
  hiZero: boolean
  /**
   * The leftover units not yet in `lo`: every node whose key's bucket (`key × BUCKETS`, floored)
   * is above `cut` is owed one more unit (see {@link shareOf}); `BUCKETS − 1` when none is.
   */
  cut: number
  /** Sums of the floors' limbs (bits 0–23 and 24–47 of lo, hi). */
  sum: Float64Array
  /** Epochs that needed the exact BigInt path (a near tie or an operand too wide). */
  fallbacks: number
}

/** Share `i` of the last split, in base units (`lo`, `hi` and the unit owed above the cut). */
export function shareOf(out: SplitBuffers, i: number): bigint {
  const owed = out.bucket[i]! > out.cut ? 1n : 0n
  return (BigInt(out.hiZero ? 0 : out.hi[i]!) << 48n) + BigInt(out.lo[i]!) + owed
}

export function splitBuffers(capacity: number): SplitBuffers {
  return {
    lo: new Float64Array(capacity),
    hi: new Float64Array(capacity),
    key: new Float64Array(capacity),
    members: new Int32Array(capacity),
    counts: new Int32Array(BUCKETS),
    bucket: new Uint16Array(capacity),
    hiZero: false,
    cut: BUCKETS - 1,
    sum: new Float64Array(3),
    fallbacks: 0,
  }
}

/** The weights of one group, in slot order, and that group's `G` limbs. */
export type GroupRun = { slots: Int32Array; from: number; to: number; g: Float64Array; at: number }

/**
 * Floors (`lo`, `hi`), keys and the keys' histogram for bases below 2^48 (two limbs).
 * @returns false when a key is too close to a whole unit to trust the floor.
 */
export function productsNarrow(base: Float64Array, run: GroupRun, out: SplitBuffers): boolean {
  const { slots, from, to, g, at } = run
  const { lo, hi, counts, bucket, sum } = out
  const g2 = g[at + 2]!
  const g3 = g[at + 3]!
  const g4 = g[at + 4]!
  const g5 = g[at + 5]!
  const g6 = g[at + 6]!
  let sumA = 0
  let sumB = 0
  let sumHi = 0
  for (let k = from; k < to; k++) {
    const i = slots[k]!
    const x0 = base[i * 4]!
    const x1 = base[i * 4 + 1]!
    let t = x0 * g3 + x1 * g2
    let c = Math.floor(t * INV)
    const v3 = t - c * LIMB
    t = x0 * g4 + x1 * g3 + c
    c = Math.floor(t * INV)
    const v4 = t - c * LIMB
    t = x0 * g5 + x1 * g4 + c
    c = Math.floor(t * INV)
    const v5 = t - c * LIMB
    t = x0 * g6 + x1 * g5 + c
    c = Math.floor(t * INV)
    const v6 = t - c * LIMB
    t = x1 * g6 + c
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

/** {@link productsNarrow} for bases below 2^96 (four limbs). */
export function productsWide(base: Float64Array, run: GroupRun, out: SplitBuffers): boolean {
  const { slots, from, to, g, at } = run
  const { lo, hi, counts, bucket, sum } = out
  const g0 = g[at]!
  const g1 = g[at + 1]!
  const g2 = g[at + 2]!
  const g3 = g[at + 3]!
  const g4 = g[at + 4]!
  const g5 = g[at + 5]!
  const g6 = g[at + 6]!
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
    t = x0 * g6 + x1 * g5 + x2 * g4 + x3 * g3 + c
    c = Math.floor(t * INV)
    const v6 = t - c * LIMB
    t = x1 * g6 + x2 * g5 + x3 * g4 + c
    c = Math.floor(t * INV)
    const v7 = t - c * LIMB
    t = x2 * g6 + x3 * g5 + c
    c = Math.floor(t * INV)
    const v8 = t - c * LIMB
    t = x3 * g6 + c
    c = Math.floor(t * INV)
    const v9 = t - c * LIMB
    const k0 = (v5 * LIMB + v4 + v3 * INV) * (INV * INV)
    if (k0 > NEAR_1) return false
    const b = (k0 * BUCKETS) | 0
    counts[b]!++
    bucket[i] = b
    lo[i] = v6 + v7 * LIMB
    const h = v8 + (v9 + c * LIMB) * LIMB
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

/**
 * The slots of each group in slot order, split by the width of their bases (2, 3 or 4 limbs: list
 * `group × 3 + width − 2`), covering slots below `n`. Nodes that join are appended (a new slot is
 * the highest); when nodes leave the caller sets `valid: false` and the lists are rebuilt.
 */
export type GroupOrder = { lists: Int32Array[]; counts: Int32Array; n: number; valid: boolean }

export function groupOrder(
  n: number,
  group: Int32Array,
  groups: number,
  width: Uint8Array | undefined,
  cached: GroupOrder | undefined,
): GroupOrder {
  const runs = groups * 3
  let o = cached
  if (!o || o.counts.length !== runs)
    o = {
      lists: Array.from({ length: runs }, () => new Int32Array(64)),
      counts: new Int32Array(runs),
      n: 0,
      valid: true,
    }
  if (!o.valid || o.n > n) {
    o.counts.fill(0)
    o.n = 0
    o.valid = true
  }
  for (let i = o.n; i < n; i++) {
    const r = group[i]! * 3 + (width ? width[i]! - 2 : 2)
    let list = o.lists[r]!
    const c = o.counts[r]!
    if (c === list.length) {
      const grown = new Int32Array(c * 2)
      grown.set(list)
      o.lists[r] = list = grown
    }
    list[c] = i
    o.counts[r] = c + 1
  }
  o.n = n
  return o
}

/** {@link productsNarrow} for bases below 2^72 (three limbs). */
export function products3(base: Float64Array, run: GroupRun, out: SplitBuffers): boolean {
  const { slots, from, to, g, at } = run
  const { lo, hi, counts, bucket, sum } = out
  const g1 = g[at + 1]!
  const g2 = g[at + 2]!
  const g3 = g[at + 3]!
  const g4 = g[at + 4]!
  const g5 = g[at + 5]!
  const g6 = g[at + 6]!
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
    t = x0 * g6 + x1 * g5 + x2 * g4 + c
    c = Math.floor(t * INV)
    const v6 = t - c * LIMB
    t = x1 * g6 + x2 * g5 + c
    c = Math.floor(t * INV)
    const v7 = t - c * LIMB
    t = x2 * g6 + c
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

/**
 * The float64 shortcut for one group of weights below 2^53 and an amount below 2^48 (the
 * revenue split: units × uptime in fen): each share is `q = x × (amount / W)` in float64, whose
 * relative error is below 3 × 2^-53 (three roundings), so its error is below `q × 2^-51`. The
 * floor of `q` is the exact floor whenever `q`'s fraction is further than that from a whole unit
 * (checked per weight), and the fraction is the key. `whole` holds each weight as one float64.
 *
 * @returns the keys' largest error, or -1 when some weight's floor cannot be trusted (the caller
 * takes the limb products instead).
 */
export function productsFloat(
  whole: Float64Array,
  n: number,
  amount: number,
  total: number,
  out: SplitBuffers,
): number {
  const g = amount / total
  let sumF = 0
  let qMax = 0
  // two weights at a time: their floors overlap
  let i = 0
  for (; i + 1 < n; i += 2) {
    const qa = whole[i]! * g
    const qb = whole[i + 1]! * g
    const fa = Math.floor(qa)
    const fb = Math.floor(qb)
    if (!keepFloat(out, i, qa, fa) || !keepFloat(out, i + 1, qb, fb)) return -1
    sumF += fa
    sumF += fb
    if (qa > qMax) qMax = qa
    if (qb > qMax) qMax = qb
  }
  if (i < n) {
    const q = whole[i]! * g
    const f = Math.floor(q)
    if (!keepFloat(out, i, q, f)) return -1
    sumF += f
    if (q > qMax) qMax = q
  }
  out.sum[0] = sumF
  out.sum[1] = 0
  out.sum[2] = 0
  return qMax * 2 ** -51
}

/** One share of {@link productsFloat}: false when its floor cannot be trusted. */
function keepFloat(out: SplitBuffers, i: number, q: number, f: number): boolean {
  const k = q - f
  const err = q * 2 ** -51
  if (k < err || k > 1 - err) return false
  const b = (k * BUCKETS) | 0
  out.counts[b]!++
  out.bucket[i] = b
  out.lo[i] = f
  return true
}

/** Distribution statistics over per-node values (the values are reordered in place). */

/** The index of the q-quantile (0..1) among n sorted values, by nearest rank. */
export function nearestRank(n: number, q: number): number {
  return Math.min(n - 1, Math.max(0, Math.round(q * (n - 1))))
}

/**
 * The q-quantile (0..1) of the first n values by nearest rank; NaN when n is 0. The values are
 * left partitioned around it (those before its rank no larger, those after no smaller), so a
 * higher quantile can be searched from that rank on (`from`, at most the rank of `q`).
 */
export function quantileOf(v: Float64Array, n: number, q: number, from = 0): number {
  if (n === 0) return Number.NaN
  const k = nearestRank(n, q)
  let lo = from <= k ? from : 0
  let hi = n - 1
  while (lo < hi) {
    const pivot = v[(lo + hi) >>> 1]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (v[i]! < pivot) i++
      while (v[j]! > pivot) j--
      if (i <= j) {
        const t = v[i]!
        v[i] = v[j]!
        v[j] = t
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return v[k]!
  }
  return v[lo]!
}

/**
 * The Gini coefficient and the top-10% share of the first n values (non-negative amounts, e.g.
 * rewards); sorts them. Gini is 0 when everyone has the same, near 1 when one has everything.
 */
export function inequality(v: Float64Array, n: number): { gini: number; top10Share: number } {
  if (n === 0) return { gini: Number.NaN, top10Share: Number.NaN }
  return inequalityOfSorted(v.subarray(0, n).sort(), n)
}

/** {@link inequality} of the first n values, already in ascending order (left as they are). */
export function inequalityOfSorted(
  a: Float64Array,
  n: number,
): { gini: number; top10Share: number } {
  if (n === 0) return { gini: Number.NaN, top10Share: Number.NaN }
  let total = 0
  let weighted = 0
  for (let i = 0; i < n; i++) {
    total += a[i]!
    weighted += (i + 1) * a[i]!
  }
  if (total <= 0) return { gini: 0, top10Share: 0 }
  const gini = (2 * weighted) / (n * total) - (n + 1) / n
  const top = Math.max(1, Math.ceil(n * 0.1))
  let topSum = 0
  for (let i = n - top; i < n; i++) topSum += a[i]!
  return { gini, top10Share: topSum / total }
}

/**
 * Merges ascending runs of `v` (run r is `[ends[r-1] ?? 0, ends[r])`) into `out`, ascending: the
 * same values in the same order as sorting them all (equal doubles are indistinguishable).
 */
export function mergeSorted(v: Float64Array, ends: readonly number[], out: Float64Array): void {
  const at = ends.map((_, r) => (r === 0 ? 0 : ends[r - 1]!))
  const total = ends.length > 0 ? ends[ends.length - 1]! : 0
  for (let k = 0; k < total; k++) {
    let best = -1
    for (let r = 0; r < ends.length; r++)
      if (at[r]! < ends[r]! && (best < 0 || v[at[r]!]! < v[at[best]!]!)) best = r
    out[k] = v[at[best]!++]!
  }
}

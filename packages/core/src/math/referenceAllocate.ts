/**
 * Textbook largest remainder, sorting every remainder (O(n log n)). Not exported from the
 * package: the reference the property tests compare `allocate` with, and the benchmark's baseline.
 */
export function referenceAllocate(amount: bigint, weights: readonly bigint[]): bigint[] {
  const total = weights.reduce((a, b) => a + b, 0n)
  const shares = weights.map((w) => (amount * w) / total)
  const order = weights
    .map((w, i) => ({ i, r: (amount * w) % total }))
    .sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1))
  let left = amount - shares.reduce((a, b) => a + b, 0n)
  for (const { i } of order) {
    if (left === 0n) break
    shares[i]! += 1n
    left--
  }
  return shares
}

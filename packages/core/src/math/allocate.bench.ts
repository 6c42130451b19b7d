import { bench, describe } from 'vitest'
import { allocate } from './allocate.js'

// Baseline: the textbook largest-remainder method, sorting all remainders (O(n log n)).
function sortBasedAllocate(amount: bigint, weights: readonly bigint[]): bigint[] {
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

// 1,000,000 pseudo-random weights (GPU-seconds scale), a pool of 6.3M tokens in base units.
let seed = 42
const next = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
  return seed
}
const weights = Array.from({ length: 1_000_000 }, () => BigInt(next() % 100_000) + 1n)
const amount = 6_300_000n * 10n ** 18n + 123_457n

describe('allocate 1,000,000 weights', () => {
  bench(
    'allocate (quickselect largest remainder)',
    () => {
      allocate(amount, weights)
    },
    { iterations: 5, warmupIterations: 1 },
  )

  bench(
    'baseline: sort-based largest remainder',
    () => {
      sortBasedAllocate(amount, weights)
    },
    { iterations: 3, warmupIterations: 1 },
  )
})

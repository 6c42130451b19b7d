import { bench, describe } from 'vitest'
import { allocate } from './allocate.js'
import { referenceAllocate } from './referenceAllocate.js'

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
      referenceAllocate(amount, weights)
    },
    { iterations: 3, warmupIterations: 1 },
  )
})

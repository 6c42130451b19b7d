import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { allocate } from './allocate.js'
import { referenceAllocate } from './referenceAllocate.js'

const amount = fc.bigInt({ min: 0n, max: 10n ** 30n })
const weights = fc
  .array(fc.bigInt({ min: 0n, max: 10n ** 24n }), { minLength: 1, maxLength: 60 })
  .filter((w) => w.some((x) => x > 0n))
const smallWeights = fc
  .array(fc.bigInt({ min: 0n, max: 5n }), { minLength: 1, maxLength: 60 })
  .filter((w) => w.some((x) => x > 0n))

describe('allocate properties', () => {
  test('conserves the amount exactly', () => {
    fc.assert(
      fc.property(amount, weights, (a, w) => {
        expect(allocate(a, w).reduce((x, y) => x + y, 0n)).toBe(a)
      }),
      { numRuns: 5000 },
    )
  })

  test('each share is within one unit of its exact rational value', () => {
    fc.assert(
      fc.property(amount, weights, (a, w) => {
        const total = w.reduce((x, y) => x + y, 0n)
        allocate(a, w).forEach((share, i) => {
          const diff = share * total - a * w[i]! // share - exact, times total
          expect(diff > -total && diff < total).toBe(true)
        })
      }),
      { numRuns: 5000 },
    )
  })

  test('matches the sort-based reference, ties included', () => {
    fc.assert(
      fc.property(amount, fc.oneof(weights, smallWeights), (a, w) => {
        expect(allocate(a, w)).toEqual(referenceAllocate(a, w))
      }),
      { numRuns: 5000 },
    )
  })

  test('a larger weight never gets a smaller share than a smaller weight', () => {
    fc.assert(
      fc.property(amount, weights, (a, w) => {
        const shares = allocate(a, w)
        for (let i = 0; i < w.length; i++)
          for (let j = 0; j < w.length; j++)
            if (w[i]! > w[j]!) expect(shares[i]! >= shares[j]!).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })
})

import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { NEVER_MONTHS, projectedPayback } from './paybackMonths.js'

describe('projectedPayback', () => {
  test('a node that has paid back keeps its month', () => {
    expect(projectedPayback(14, 10_000, 12_000, 40, 41)).toBe(14)
  })

  test('projects at the mean monthly profit so far', () => {
    // 2,000 earned in 10 months (200 a month), 8,000 left: 40 more months after month 10
    expect(projectedPayback(0, 10_000, 2_000, 9, 10)).toBe(50)
  })

  test('never when the node loses money on average, and never beyond the cap', () => {
    expect(projectedPayback(0, 10_000, -5, 9, 10)).toBe(NEVER_MONTHS)
    expect(projectedPayback(0, 10_000, 0, 9, 10)).toBe(NEVER_MONTHS)
    expect(projectedPayback(0, 1e9, 1, 9, 10)).toBe(NEVER_MONTHS)
  })

  test('between the current month and the cap, and later for a slower earner', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.integer({ min: 0, max: 200 }),
        (investment, earned, m) => {
          const fast = projectedPayback(0, investment, investment * earned, m, m + 1)
          const slow = projectedPayback(0, investment, (investment * earned) / 2, m, m + 1)
          expect(fast).toBeGreaterThanOrEqual(m + 1)
          expect(fast).toBeLessThanOrEqual(NEVER_MONTHS)
          expect(slow).toBeGreaterThanOrEqual(fast)
        },
      ),
    )
  })
})

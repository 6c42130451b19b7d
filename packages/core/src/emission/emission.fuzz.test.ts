import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { emittedAmount } from './emittedAmount.js'
import { epochEmissions } from './epochEmissions.js'

const schedule = fc.record({
  total: fc.bigInt({ min: 0n, max: 10n ** 26n }),
  start: fc.integer({ min: 0, max: 2_000_000_000 }),
  duration: fc.integer({ min: 1, max: 5_000 }),
  epochLength: fc.integer({ min: 1, max: 400 }),
  curve: fc.constantFrom('halving' as const, 'decay' as const, 'linear' as const),
  halvingPeriod: fc.integer({ min: 1, max: 3_000 }),
  halfLife: fc.integer({ min: 1, max: 3_000 }),
})

describe('emission properties', () => {
  test('the epochs sum to exactly the pool', () => {
    fc.assert(
      fc.property(schedule, (s) => {
        expect(epochEmissions(s).reduce((a, b) => a + b, 0n)).toBe(s.total)
      }),
      { numRuns: 3000 },
    )
  })

  test('halving and decay never increase from one epoch to the next', () => {
    fc.assert(
      fc.property(schedule, (s) => {
        fc.pre(s.curve !== 'linear')
        const epochs = epochEmissions(s)
        for (let i = 1; i < epochs.length; i++) expect(epochs[i]! <= epochs[i - 1]!).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })

  test('emitted is monotone in time, 0 before start, the pool from the end on', () => {
    fc.assert(
      fc.property(
        schedule,
        fc.integer({ min: -6000, max: 6000 }),
        fc.integer({ min: 0, max: 6000 }),
        (s, offset, step) => {
          const at = Math.max(0, s.start + offset)
          const a = emittedAmount(s, { at })
          const b = emittedAmount(s, { at: at + step })
          expect(a <= b).toBe(true)
          if (at < s.start) expect(a).toBe(0n)
          if (at >= s.start + s.duration) expect(a).toBe(s.total)
        },
      ),
      { numRuns: 3000 },
    )
  })
})

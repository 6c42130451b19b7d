import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { releasable } from './releasable.js'
import { vestedAmount } from './vestedAmount.js'

const schedule = fc
  .record({
    total: fc.bigInt({ min: 0n, max: 10n ** 27n }),
    start: fc.integer({ min: 0, max: 2_000_000_000 }),
    duration: fc.integer({ min: 0, max: 300_000_000 }),
    delay: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: undefined }),
    cliff: fc.option(fc.integer({ min: 0, max: 400_000_000 }), { nil: undefined }),
  })
  .filter((s) => (s.cliff ?? 0) <= (s.delay ?? 0) + s.duration)
  .map(({ delay, cliff, ...rest }) => ({
    ...rest,
    ...(delay === undefined ? {} : { delay }),
    ...(cliff === undefined ? {} : { cliff }),
  }))
const time = fc.integer({ min: 0, max: 2_500_000_000 })

describe('vesting properties', () => {
  test('monotone in time', () => {
    fc.assert(
      fc.property(schedule, time, time, (s, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a]
        expect(vestedAmount(s, { at: early }) <= vestedAmount(s, { at: late })).toBe(true)
      }),
      { numRuns: 5000 },
    )
  })

  test('bounded by [0, total]; 0 before start; total after the end', () => {
    fc.assert(
      fc.property(schedule, time, (s, at) => {
        const v = vestedAmount(s, { at })
        expect(v >= 0n && v <= s.total).toBe(true)
        if (at < s.start) expect(v).toBe(0n)
        if (at >= s.start + (s.delay ?? 0) + s.duration) expect(v).toBe(s.total)
      }),
      { numRuns: 5000 },
    )
  })

  test('within one unit of the exact linear value once past the cliff', () => {
    fc.assert(
      fc.property(schedule, time, (s, at) => {
        const from = s.start + (s.delay ?? 0)
        fc.pre(at >= from && at >= s.start + (s.cliff ?? 0) && s.duration > 0)
        const elapsed = BigInt(Math.min(at - from, s.duration))
        const v = vestedAmount(s, { at })
        const scaled = v * BigInt(s.duration) // v vs total * elapsed / duration
        const exact = s.total * elapsed
        expect(scaled <= exact && exact - scaled < BigInt(s.duration)).toBe(true)
      }),
      { numRuns: 5000 },
    )
  })

  test('releasable + released = vested, for any released within vested', () => {
    fc.assert(
      fc.property(schedule, time, fc.bigInt({ min: 0n, max: 10n ** 27n }), (s, at, r) => {
        const vested = vestedAmount(s, { at })
        const released = vested === 0n ? 0n : r % (vested + 1n)
        expect(releasable(s, { at, released }) + released).toBe(vested)
      }),
      { numRuns: 3000 },
    )
  })
})

import { describe, expect, test } from 'vitest'
import { MONTH } from '../constants.js'
import { CoreError, type ValidationIssue } from '../errors.js'
import { vestedAmount } from './vestedAmount.js'

describe('vestedAmount', () => {
  const total = 36_000n
  const delayed = { total, start: 1000, delay: 6 * MONTH, duration: 36 * MONTH }

  test('MONTH is 1/12 of a 365.2425-day year', () => {
    expect(MONTH).toBe(2_629_746)
    expect(MONTH * 12).toBe(365.2425 * 86_400)
  })

  test('delay: nothing before start + delay, then linear, full at start + delay + duration', () => {
    expect(vestedAmount(delayed, { at: 0 })).toBe(0n)
    expect(vestedAmount(delayed, { at: 1000 + 6 * MONTH - 1 })).toBe(0n)
    expect(vestedAmount(delayed, { at: 1000 + 6 * MONTH })).toBe(0n)
    expect(vestedAmount(delayed, { at: 1000 + 7 * MONTH })).toBe(1000n)
    expect(vestedAmount(delayed, { at: 1000 + 24 * MONTH })).toBe(18_000n)
    expect(vestedAmount(delayed, { at: 1000 + 42 * MONTH - 1 })).toBe(35_999n)
    expect(vestedAmount(delayed, { at: 1000 + 42 * MONTH })).toBe(total)
    expect(vestedAmount(delayed, { at: 1000 + 100 * MONTH })).toBe(total)
  })

  test('cliff: zero before the cliff, then the curve from start (a jump), as VestingWalletCliff', () => {
    const s = { total: 1200n, start: 0, duration: 12 * MONTH, cliff: 3 * MONTH }
    expect(vestedAmount(s, { at: 3 * MONTH - 1 })).toBe(0n)
    expect(vestedAmount(s, { at: 3 * MONTH })).toBe(300n)
    expect(vestedAmount(s, { at: 6 * MONTH })).toBe(600n)
  })

  test('linear amounts round down like OpenZeppelin (total * elapsed / duration)', () => {
    const s = { total: 10n, start: 0, duration: 3 }
    expect([0, 1, 2, 3].map((at) => vestedAmount(s, { at }))).toEqual([0n, 3n, 6n, 10n])
  })

  test('zero duration vests everything at start + delay', () => {
    expect(vestedAmount({ total: 5n, start: 10, duration: 0 }, { at: 9 })).toBe(0n)
    expect(vestedAmount({ total: 5n, start: 10, duration: 0 }, { at: 10 })).toBe(5n)
  })

  test('bad schedules are typed errors naming the field', () => {
    expect(() => vestedAmount({ total: -1n, start: 0, duration: 1 }, { at: 0 })).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_ARGUMENT' }),
    )
    try {
      vestedAmount({ total: 1n, start: 0, duration: 10, cliff: 11 }, { at: 0 })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(CoreError)
      expect(
        ((error as CoreError).details?.issues as ValidationIssue[] | undefined)?.[0]?.path,
      ).toBe('cliff')
    }
    expect(() => vestedAmount({ total: 1n, start: 0, duration: 1 }, { at: 1.5 })).toThrow(/at/)
  })
})

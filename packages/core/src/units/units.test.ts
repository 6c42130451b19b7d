import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { formatUnits } from './formatUnits.js'
import { parseUnits } from './parseUnits.js'

const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

test('format and parse base units', () => {
  expect(formatUnits(1_500_000_000_000_000_000n, 18)).toBe('1.5')
  expect(formatUnits(-5n, 2)).toBe('-0.05')
  // money: every decimal shown
  expect(formatUnits(100n, 2, { trim: false })).toBe('1.00')
  expect(formatUnits(-150n, 2, { trim: false })).toBe('-1.50')
  expect(formatUnits(7n, 0, { trim: false })).toBe('7')
  expect(parseUnits('6300000', 18)).toBe(6_300_000n * 10n ** 18n)
  expect(() => parseUnits('0.001', 2)).toThrow(coreError('CORE_INVALID_DECIMAL'))
  expect(() => parseUnits('1e5', 2)).toThrow(coreError('CORE_INVALID_DECIMAL'))
})

test('property: parse(format(x)) = x', () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      fc.integer({ min: 0, max: 24 }),
      (x, d) => {
        expect(parseUnits(formatUnits(x, d), d)).toBe(x)
      },
    ),
    { numRuns: 3000 },
  )
})

describe('bad decimals are refused, never a wrong amount or string', () => {
  // Before the fix parseUnits('1.5', NaN) returned 15n and parseUnits('1.5', 1.5) 15n;
  // formatUnits(15n, NaN) returned '.15', formatUnits(15n, 0.5) '1.5' and formatUnits(15, 2) '0.15'.
  test.each([Number.NaN, 1.5, -1, Number.POSITIVE_INFINITY, '2', 256, null])(
    'parseUnits and formatUnits with decimals %s',
    (decimals) => {
      expect(() => parseUnits('1.5', decimals as number)).toThrow(
        coreError('CORE_INVALID_ARGUMENT'),
      )
      expect(() => formatUnits(15n, decimals as number)).toThrow(coreError('CORE_INVALID_ARGUMENT'))
    },
  )

  test('a value of the wrong type is CORE_INVALID_ARGUMENT, not a TypeError', () => {
    expect(() => parseUnits(15 as unknown as string, 2)).toThrow(coreError('CORE_INVALID_ARGUMENT'))
    expect(() => formatUnits(15 as unknown as bigint, 2)).toThrow(
      coreError('CORE_INVALID_ARGUMENT'),
    )
    expect(() => formatUnits(15n, 2, { trim: 'no' } as never)).toThrow(
      coreError('CORE_INVALID_ARGUMENT'),
    )
  })
})

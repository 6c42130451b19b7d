import fc from 'fast-check'
import { expect, test } from 'vitest'
import { formatUnits } from './formatUnits.js'
import { InvalidDecimalError, parseUnits } from './parseUnits.js'

test('format and parse base units', () => {
  expect(formatUnits(1_500_000_000_000_000_000n, 18)).toBe('1.5')
  expect(formatUnits(-5n, 2)).toBe('-0.05')
  // money: every decimal shown
  expect(formatUnits(100n, 2, { trim: false })).toBe('1.00')
  expect(formatUnits(-150n, 2, { trim: false })).toBe('-1.50')
  expect(formatUnits(7n, 0, { trim: false })).toBe('7')
  expect(parseUnits('6300000', 18)).toBe(6_300_000n * 10n ** 18n)
  expect(() => parseUnits('0.001', 2)).toThrow(InvalidDecimalError)
  expect(() => parseUnits('1e5', 2)).toThrow(InvalidDecimalError)
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

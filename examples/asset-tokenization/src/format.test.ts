import { expect, test } from 'vitest'
import { formatAmount } from './format.js'

test('formatAmount writes base units as an exact decimal with the unit', () => {
  expect(formatAmount(25_000_000n, 'CNY')).toBe('250,000.00 CNY')
  expect(formatAmount(5n, 'CNY')).toBe('0.05 CNY')
  expect(formatAmount(0n, 'BTT')).toBe('0 BTT')
  expect(formatAmount(1_500n * 10n ** 18n, 'BTT')).toBe('1,500 BTT')
  expect(formatAmount(500_000n * 10n ** 18n + 1n, 'BTT')).toBe('500,000.000000000000000001 BTT')
  expect(formatAmount(-150n, 'CNY')).toBe('-1.50 CNY')
})

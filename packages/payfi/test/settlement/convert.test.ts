import fc from 'fast-check'
import { expect, test } from 'vitest'
import { convertUnits } from '../../src/index.js'
import { convertiblePart } from '../../src/settlement/convert.js'

const decimals = fc.integer({ min: 0, max: 36 })

test('scaling up is exact and scaling back down returns the amount', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), decimals, decimals, (x, a, b) => {
      fc.pre(b >= a)
      const up = convertUnits({ amount: x, from: a, to: b })
      expect(up).toBe(x * 10n ** BigInt(b - a))
      expect(convertUnits({ amount: up, from: b, to: a })).toBe(x)
    }),
    { numRuns: 500 },
  )
})

test('scaling down: the convertible part converts exactly, the dust is below one target unit, anything else is refused', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), decimals, decimals, (x, a, b) => {
      fc.pre(b < a)
      const unit = 10n ** BigInt(a - b)
      const part = convertiblePart(x, a, b)
      expect(part <= x && x - part < unit).toBe(true)
      expect(convertUnits({ amount: part, from: a, to: b }) * unit).toBe(part)
      if (x !== part)
        expect(() => convertUnits({ amount: x, from: a, to: b })).toThrow(
          expect.objectContaining({ code: 'PAYFI_LOSSY_CONVERSION' }),
        )
    }),
    { numRuns: 500 },
  )
})

test('negative amounts, fractional or out-of-range decimals and numbers are refused', () => {
  for (const bad of [
    { amount: -1n, from: 2, to: 6 },
    { amount: 1n, from: 2.5, to: 6 },
    { amount: 1n, from: 2, to: 99 },
    { amount: 100, from: 2, to: 6 },
  ])
    expect(() => convertUnits(bad as never)).toThrow(
      expect.objectContaining({ code: 'PAYFI_INVALID_ARGUMENT' }),
    )
})

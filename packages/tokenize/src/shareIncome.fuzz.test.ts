import { ONE_TOKEN } from '@btt/core'
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { liquidityAccruals } from './liquidity.js'
import { shareIncome } from './shareIncome.js'

const address = fc
  .bigInt({ min: 1n, max: (1n << 160n) - 1n })
  .map((n) => `0x${n.toString(16).padStart(40, '0')}`)
const holdings = fc.uniqueArray(
  fc.record({ holder: address, balance: fc.bigInt({ min: 0n, max: 10n ** 30n }) }),
  {
    minLength: 1,
    maxLength: 40,
    selector: (h) => h.holder,
  },
)

test('income shares sum to the total to the unit; each is the floor of its exact share or one more', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: 10n ** 36n }), holdings, (total, list) => {
      const supply = list.reduce((s, h) => s + h.balance, 0n)
      fc.pre(supply > 0n)
      const shares = shareIncome(total, list)
      expect(shares.reduce((s, h) => s + h.amount, 0n)).toBe(total)
      for (const s of shares) {
        const floor = (total * s.balance) / supply
        expect(s.amount === floor || s.amount === floor + 1n).toBe(true)
      }
      expect(shares.map((s) => s.holder)).toEqual([...shares.map((s) => s.holder)].sort())
      expect(shares.every((s) => s.balance > 0n)).toBe(true)
      expect(shares).toHaveLength(list.filter((h) => h.balance > 0n).length)
    }),
    { numRuns: 300 },
  )
})

test('a larger holding never gets a smaller share', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: 10n ** 24n }), holdings, (total, list) => {
      fc.pre(list.some((h) => h.balance > 0n))
      const shares = shareIncome(total, list)
      for (const a of shares)
        for (const b of shares) if (a.balance > b.balance) expect(a.amount >= b.amount).toBe(true)
    }),
    { numRuns: 200 },
  )
})

test('no holder with a balance: TOKENIZE_NO_HOLDERS, whatever the list', () => {
  fc.assert(
    fc.property(fc.array(address, { maxLength: 5 }), (wallets) => {
      expect(() =>
        shareIncome(
          1n,
          wallets.map((holder) => ({ holder, balance: 0n })),
        ),
      ).toThrow(expect.objectContaining({ code: 'TOKENIZE_NO_HOLDERS' }))
    }),
  )
})

test('liquidity fee accrued per day sums exactly to the period fee, each day within one unit of its exact share', () => {
  fc.assert(
    fc.property(
      fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n * ONE_TOKEN }), {
        minLength: 1,
        maxLength: 400,
      }),
      fc.integer({ min: 100, max: 200 }),
      (dailyBalances, annualBps) => {
        const sum = dailyBalances.reduce((a, b) => a + b, 0n)
        const last = dailyBalances[dailyBalances.length - 1]!
        fc.pre(sum * BigInt(annualBps) <= last * 10_000n * 365n) // the fee fits in the final balance
        const { fee, daily } = liquidityAccruals({ dailyBalances, annualBps })
        expect(daily.reduce((a, b) => a + b, 0n)).toBe(fee.fee)
        expect(fee.fee).toBe((sum * BigInt(annualBps) * 2n + 3_650_000n) / 7_300_000n)
        if (sum > 0n)
          daily.forEach((d, i) => {
            const floor = (fee.fee * dailyBalances[i]!) / sum
            expect(d === floor || d === floor + 1n).toBe(true)
          })
      },
    ),
    { numRuns: 300 },
  )
})

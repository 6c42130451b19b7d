import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { defaultConfig } from '../config/parseConfig.js'
import { payfiFee } from './payfiFee.js'
import { subscriptionPrice } from './subscriptionPrice.js'
import {
  liquidityManagementFee,
  mintingFee,
  premiumListingFee,
  revaluationFee,
  secondaryTradeFee,
} from './tokenizationFees.js'

const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

const CNY = 100n

describe('tokenization fees', () => {
  test('minting is 1–3% by complexity, regulation and valuation', () => {
    const small = 500_000n * CNY
    const big = 50_000_000n * CNY
    expect(mintingFee(big, { complexity: 'low', regulatory: 'standard' }).bps).toBe(100)
    expect(mintingFee(small, { complexity: 'medium', regulatory: 'regulated' }).bps).toBe(250)
    expect(mintingFee(small, { complexity: 'high', regulatory: 'highly-regulated' }).bps).toBe(300)
    expect(mintingFee(10_000n, { complexity: 'low', regulatory: 'standard' })).toMatchObject({
      gross: 10_000n,
      fee: 150n,
      net: 9_850n,
    })
    expect(() => mintingFee(1n, { complexity: 'extreme', regulatory: 'standard' })).toThrow(
      coreError('CORE_UNKNOWN_FEE_CLASS'),
    )
  })

  test('secondary trades 1.0% down to 0.5%', () => {
    expect(secondaryTradeFee(10_000n).bps).toBe(100)
    expect(secondaryTradeFee(200_000n * CNY).bps).toBe(75)
    expect(secondaryTradeFee(5_000_000n * CNY).bps).toBe(50)
  })

  test('revaluation 0.25–0.5% of value', () => {
    expect(revaluationFee(10_000n, { assetClass: 'standard' }).fee).toBe(25n)
    expect(revaluationFee(10_000n, { assetClass: 'complex' }).fee).toBe(50n)
  })

  test('liquidity management accrues daily at 1–2% a year', () => {
    const year = Array<bigint>(365).fill(1_000_000n)
    expect(liquidityManagementFee({ dailyBalances: year, annualBps: 200 }).fee).toBe(20_000n)
    expect(liquidityManagementFee({ dailyBalances: year }).fee).toBe(15_000n)
    expect(liquidityManagementFee({ dailyBalances: year.slice(0, 30), annualBps: 100 }).fee).toBe(
      822n,
    )
    expect(() => liquidityManagementFee({ dailyBalances: year, annualBps: 300 })).toThrow(/annual/)
    expect(() =>
      liquidityManagementFee({ dailyBalances: [...year.slice(0, 364), 1n], annualBps: 200 }),
    ).toThrow(coreError('CORE_FEE_EXCEEDS_GROSS'))
  })

  test('premium listing per month', () => {
    expect(premiumListingFee(1_000_000n, { months: 3 }).fee).toBe(1_500n)
  })
})

describe('payfi and subscriptions', () => {
  test('standard 0.8% → 0.5% by volume, FX 0.75%, analytics 0.25%', () => {
    expect(payfiFee(100_000n).fee).toBe(800n)
    expect(payfiFee(100_000n, { monthlyVolume: 20_000_000n * CNY }).fee).toBe(500n)
    const all = payfiFee(100_000n, { fx: true, analytics: true })
    expect(all.lines.map((l) => [l.label, l.amount])).toEqual([
      ['standard', 800n],
      ['fx conversion', 750n],
      ['analytics add-on', 250n],
    ])
    expect(all.fee).toBe(1_800n)
    expect(payfiFee(100_000n, { stakingDiscountBps: 2_000 }).fee).toBe(640n)
  })

  test('subscriptions 3,000–25,000 CNY a month', () => {
    expect(subscriptionPrice({ size: 'clinic-small' }).net).toBe(3_000n * CNY)
    expect(subscriptionPrice({ size: 'hospital-network', months: 12 }).gross).toBe(300_000n * CNY)
    expect(() => subscriptionPrice({ size: 'castle' })).toThrow(coreError('CORE_UNKNOWN_FEE_CLASS'))
  })
})

describe('fee properties', () => {
  const amount = fc.bigInt({ min: 0n, max: 10n ** 24n })
  test("fee + net = gross, and the fee stays within the schedule's range", () => {
    const c = defaultConfig.fees
    fc.assert(
      fc.property(
        amount,
        fc.constantFrom('low', 'medium', 'high'),
        fc.constantFrom('standard', 'regulated', 'highly-regulated'),
        fc.boolean(),
        fc.boolean(),
        (gross, complexity, regulatory, fx, analytics) => {
          const quotes = [
            mintingFee(gross, { complexity, regulatory }),
            secondaryTradeFee(gross),
            revaluationFee(gross, { assetClass: 'complex' }),
            premiumListingFee(gross, { months: 2 }),
            payfiFee(gross, { fx, analytics }),
          ]
          for (const q of quotes) {
            expect(q.fee + q.net).toBe(q.gross)
            expect(q.fee >= 0n && q.net >= 0n).toBe(true)
            // within half a unit of the exact rate
            const exact2 = (gross * BigInt(q.bps) * 2n) / 10_000n
            expect(q.fee * 2n - exact2 <= BigInt(q.lines.length)).toBe(true)
            expect(exact2 - q.fee * 2n <= BigInt(q.lines.length)).toBe(true)
          }
          const m = quotes[0]!
          expect(
            m.bps >= c.tokenization.minting.minBps && m.bps <= c.tokenization.minting.maxBps,
          ).toBe(true)
          const p = quotes[4]!.lines[0]!
          expect(p.bps >= 50 && p.bps <= 80).toBe(true)
        },
      ),
      { numRuns: 4000 },
    )
  })

  test('a larger trade never pays a higher rate', () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(secondaryTradeFee(hi).bps <= secondaryTradeFee(lo).bps).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })
})

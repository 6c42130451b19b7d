import { YEAR } from '@btt/core'
import { describe, expect, test } from 'vitest'
import { createRng } from '../random/createRng.js'
import { stepPrice } from './stepPrice.js'

const flows = { revenue: 1000, emitted: 10, seconds: 86_400 }

describe('stepPrice', () => {
  test('fixed: unchanged, and no draw', () => {
    const rng = createRng(1)
    expect(stepPrice(3, { model: 'fixed', price: 3 }, flows, rng)).toBe(3)
    expect(rng.next()).toBe(createRng(1).next())
  })

  test('gbm without volatility grows by its drift', () => {
    const p = stepPrice(
      2,
      { model: 'gbm', initialPrice: 2, annualDrift: 0.1, annualVolatility: 0 },
      flows,
      createRng(1),
    )
    expect(p).toBeCloseTo(2 * Math.exp((0.1 * 86_400) / YEAR), 12)
  })

  test('pressure: buying lifts the price, selling lowers it, by the market depth', () => {
    const token = {
      model: 'pressure',
      initialPrice: 1,
      liquidityCny: 1000,
      buyShareOfRevenue: 1,
      sellShareOfRewards: 0,
      dailyNoise: 0,
    } as const
    expect(stepPrice(1, token, flows, createRng(1))).toBeCloseTo(Math.E, 12)
    const selling = { ...token, buyShareOfRevenue: 0, sellShareOfRewards: 1 }
    expect(stepPrice(1, selling, flows, createRng(1))).toBeCloseTo(Math.exp(-10 / 1000), 12)
  })
})

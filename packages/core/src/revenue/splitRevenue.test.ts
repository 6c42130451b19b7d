import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { defineConfig } from '../config/parseConfig.js'
import { shareContributorRevenue, splitRevenue } from './splitRevenue.js'

describe('splitRevenue', () => {
  test('70/15/10/5 of 100', () => {
    expect(splitRevenue(100n)).toEqual({
      contributors: 70n,
      devFund: 15n,
      foundation: 10n,
      reserve: 5n,
    })
  })

  test('odd amounts still sum exactly', () => {
    expect(splitRevenue(1n)).toEqual({ contributors: 1n, devFund: 0n, foundation: 0n, reserve: 0n })
    expect(splitRevenue(7n)).toEqual({ contributors: 5n, devFund: 1n, foundation: 1n, reserve: 0n })
  })

  test('a custom split from config', () => {
    const config = defineConfig({
      revenueSplit: { contributorsBps: 8000, devFundBps: 1000, foundationBps: 1000, reserveBps: 0 },
    })
    expect(splitRevenue(10n, config)).toEqual({
      contributors: 8n,
      devFund: 1n,
      foundation: 1n,
      reserve: 0n,
    })
  })

  test('contributors share pro rata to resource supplied', () => {
    expect(shareContributorRevenue(70n, [3600n, 1800n, 1800n])).toEqual([35n, 18n, 17n])
  })

  test('property: conservation and bounds', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (amount) => {
        const s = splitRevenue(amount)
        expect(s.contributors + s.devFund + s.foundation + s.reserve).toBe(amount)
        const exact = (amount * 70n) / 100n
        expect(s.contributors >= exact && s.contributors <= exact + 1n).toBe(true)
      }),
      { numRuns: 5000 },
    )
  })
})

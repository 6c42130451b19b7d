import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { defaultConfig, defineConfig } from '../config/parseConfig.js'
import type { CoreError } from '../errors.js'
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

describe('a config that skipped defineConfig/parseConfig is validated on use', () => {
  const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

  test('shares that do not sum to 100% are refused, not renormalised', () => {
    // Before the fix this returned { contributors: 63n, devFund: 13n, foundation: 12n, reserve: 12n }.
    const plain = {
      revenueSplit: {
        contributorsBps: 5000,
        devFundBps: 1000,
        foundationBps: 1000,
        reserveBps: 1000,
      },
    }
    expect(() => splitRevenue(100n, plain)).toThrow(coreError('CORE_INVALID_CONFIG'))
    try {
      splitRevenue(100n, plain)
    } catch (error) {
      expect((error as CoreError).details?.issues).toContainEqual({
        path: 'revenueSplit',
        message: 'shares must sum to exactly 10000 bps, got 8000',
      })
    }
  })

  test('wrong shapes and types are CORE_INVALID_CONFIG', () => {
    for (const config of [
      null,
      {},
      { revenueSplit: null },
      {
        revenueSplit: {
          contributorsBps: '7000',
          devFundBps: 1500,
          foundationBps: 1000,
          reserveBps: 500,
        },
      },
      {
        revenueSplit: {
          contributorsBps: Number.NaN,
          devFundBps: 1500,
          foundationBps: 1000,
          reserveBps: 500,
        },
      },
    ])
      expect(() => splitRevenue(100n, config as never)).toThrow(coreError('CORE_INVALID_CONFIG'))
  })

  test('a valid plain object works, and a parsed config (or its section) is used as it is', () => {
    const plain = {
      revenueSplit: { contributorsBps: 8000, devFundBps: 1000, foundationBps: 1000, reserveBps: 0 },
    }
    expect(splitRevenue(10n, plain)).toEqual({
      contributors: 8n,
      devFund: 1n,
      foundation: 1n,
      reserve: 0n,
    })
    expect(splitRevenue(100n, { revenueSplit: defaultConfig.revenueSplit }).contributors).toBe(70n)
  })
})

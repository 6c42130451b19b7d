import { describe, expect, test } from 'vitest'
import { MONTH, ONE_TOKEN, TOTAL_SUPPLY, YEAR } from '../constants.js'
import { CoreError, type ValidationIssue } from '../errors.js'
import { allocationAmounts } from './allocationAmounts.js'
import { defaultConfigInput } from './defaults.js'
import { defaultConfig, defineConfig, parseConfig } from './parseConfig.js'
import type { EngineConfigInput } from './schema.js'

type Entry = EngineConfigInput['allocation'][number]

const token = (n: bigint) => n * ONE_TOKEN

function issuesOf(fn: () => unknown) {
  try {
    fn()
  } catch (error) {
    if (error instanceof CoreError && error.code === 'CORE_INVALID_CONFIG')
      return error.details?.issues as ValidationIssue[]
    throw error
  }
  expect.unreachable('expected CORE_INVALID_CONFIG')
}

describe('engine config', () => {
  test('the defaults are the business model', () => {
    expect(TOTAL_SUPPLY).toBe(21_000_000n * 10n ** 18n)
    const amounts = Object.fromEntries(
      allocationAmounts(defaultConfig).map((a) => [a.id, a.amount]),
    )
    expect(amounts).toEqual({
      bithive: token(2_100_000n),
      'china-digital-healthcare-group': token(840_000n),
      'bitwave-protocol-labs': token(630_000n),
      'm-dao': token(420_000n),
      'web3-ventures': token(420_000n),
      'other-institutional': token(420_000n),
      'technology-foundation': token(3_570_000n),
      'mining-pool': token(6_300_000n),
      'community-incentives': token(2_520_000n),
      'ecosystem-fund': token(1_470_000n),
      unassigned: token(2_310_000n),
    })
    const sum = Object.values(amounts).reduce((a, b) => a + b, 0n)
    expect(sum).toBe(TOTAL_SUPPLY)
    const bithive = defaultConfig.allocation[0]!.release
    expect(bithive).toEqual({ kind: 'linear', delayMonths: 6, durationMonths: 36 })
    expect(defaultConfig.revenueSplit).toEqual({
      contributorsBps: 7000,
      devFundBps: 1500,
      foundationBps: 1000,
      reserveBps: 500,
    })
    expect(defaultConfig.emission.duration).toBe(8 * YEAR)
    expect(MONTH).toBe(YEAR / 12)
  })

  test('the validated config is frozen', () => {
    expect(Object.isFrozen(defaultConfig.allocation[0])).toBe(true)
  })

  test('an allocation that does not sum to 100% is rejected, naming the field', () => {
    const allocation = defaultConfigInput.allocation.filter((a) => a.id !== 'unassigned')
    const issues = issuesOf(() => defineConfig({ allocation }))
    expect(issues).toContainEqual({
      path: 'allocation',
      message: 'shares must sum to exactly 10000 bps (100%), got 8900',
    })
  })

  test('every problem is listed by path, and the message prints them', () => {
    try {
      defineConfig({
        revenueSplit: { contributorsBps: 8000 },
        token: { totalSupply: '-5' },
        governance: { quorumBps: 20_000 },
        surprise: true,
      })
      expect.unreachable()
    } catch (error) {
      const e = error as CoreError
      expect(e.code).toBe('CORE_INVALID_CONFIG')
      const paths = ((e.details?.issues ?? []) as ValidationIssue[]).map((i) => i.path)
      expect(paths).toEqual(
        expect.arrayContaining(['token.totalSupply', 'governance.quorumBps', '(root)']),
      )
      expect(e.message).toMatch(/governance\.quorumBps/)
    }
    // cross-field rules run once the shapes are right
    expect(
      issuesOf(() => defineConfig({ revenueSplit: { contributorsBps: 8000 } })),
    ).toContainEqual({
      path: 'revenueSplit',
      message: 'shares must sum to exactly 10000 bps, got 11000',
    })
  })

  test('amounts may be written as decimal strings (JSON configs)', () => {
    const config = defineConfig({ burns: { thresholdValue: '1000' } })
    expect(config.burns.thresholdValue).toBe(1000n)
  })

  test('overrides merge into the defaults; arrays replace', () => {
    const config = defineConfig({ emission: { curve: 'decay' } })
    expect(config.emission.curve).toBe('decay')
    expect(config.emission.halvingPeriod).toBe(defaultConfig.emission.halvingPeriod)
    expect(parseConfig(defaultConfigInput)).toEqual(defaultConfig)
  })

  test('a second emission pool, duplicate ids and bad milestones are rejected', () => {
    const dup: Entry[] = [...defaultConfigInput.allocation]
    dup[10] = { ...dup[10]!, id: 'bithive' }
    expect(issuesOf(() => defineConfig({ allocation: dup }))).toContainEqual({
      path: 'allocation.10.id',
      message: 'duplicate id "bithive"',
    })
    const two: Entry[] = [...defaultConfigInput.allocation]
    two[10] = { ...two[10]!, release: { kind: 'emission' } }
    expect(issuesOf(() => defineConfig({ allocation: two })).map((i) => i.message)).toContain(
      'exactly one entry must have release kind "emission", got 2',
    )
  })

  test('settlement: hourly, 2 confirmations by default; bad values are refused by path', () => {
    expect(defaultConfig.settlement).toEqual({
      intervalSeconds: 3600,
      confirmations: 2,
      confirmTimeoutSeconds: 900,
      maxPendingSeconds: 7200,
    })
    expect(defineConfig({ settlement: { confirmations: 12 } }).settlement.confirmations).toBe(12)
    const paths = issuesOf(() =>
      defineConfig({ settlement: { intervalSeconds: 0, confirmations: 0.5, extra: 1 } }),
    ).map((i) => i.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        'settlement.intervalSeconds',
        'settlement.confirmations',
        'settlement',
      ]),
    )
    expect(issuesOf(() => defineConfig({ settlement: { maxPendingSeconds: 60 } }))).toContainEqual({
      path: 'settlement.maxPendingSeconds',
      message: 'must not be shorter than confirmTimeoutSeconds',
    })
  })

  test('energy: a 300 W reference, floors 30 W cpu / 75 W otherwise; bad power is refused', () => {
    expect(defaultConfig.dividend.energy).toMatchObject({
      referenceWatts: 300,
      minWatts: { cpu: 30, other: 75 },
    })
    const energy = (e: Record<string, unknown>) => ({ dividend: { energy: e } })
    // floors merge by backend class; the reference may move within its bounds
    const custom = defineConfig(energy({ referenceWatts: 700, minWatts: { cuda: 150 } }))
    expect(custom.dividend.energy.minWatts).toEqual({ cpu: 30, other: 75, cuda: 150 })
    expect(custom.dividend.energy.referenceWatts).toBe(700)
    expect(defineConfig(energy({ minWatts: { cpu: 0 } })).dividend.energy.minWatts.cpu).toBe(0)
    const pathsOf = (e: Record<string, unknown>) =>
      issuesOf(() => defineConfig(energy(e))).map((i) => i.path)
    // 0 W and negative references are refused (and every floor then lies above them)
    for (const referenceWatts of [0, -300])
      expect(pathsOf({ referenceWatts })).toEqual([
        'dividend.energy.referenceWatts',
        'dividend.energy.minWatts.cpu',
        'dividend.energy.minWatts.other',
      ])
    expect(pathsOf({ referenceWatts: 299.5 })).toEqual(['dividend.energy.referenceWatts'])
    expect(pathsOf({ referenceWatts: 10_001 })).toEqual(['dividend.energy.referenceWatts'])
    expect(pathsOf({ minWatts: { cpu: -1 } })).toEqual(['dividend.energy.minWatts.cpu'])
    expect(pathsOf({ minWatts: { other: Number.NaN } })).toEqual(['dividend.energy.minWatts.other'])
    expect(pathsOf({ minWatts: { 'Big GPU': 100 } })).toEqual(['dividend.energy.minWatts.Big GPU'])
    // a floor above the reference (also when the reference moves under a default floor)
    expect(issuesOf(() => defineConfig(energy({ minWatts: { cuda: 301 } })))).toEqual([
      { path: 'dividend.energy.minWatts.cuda', message: 'must not exceed referenceWatts' },
    ])
    expect(defineConfig(energy({ minWatts: { cuda: 300 } })).dividend.energy.minWatts.cuda).toBe(
      300,
    )
    expect(pathsOf({ referenceWatts: 50 })).toEqual(['dividend.energy.minWatts.other'])
    // `other` cannot be left out: every class needs a floor
    const { other: _, ...noOther } = defaultConfigInput.dividend.energy.minWatts
    const input = {
      ...defaultConfigInput,
      dividend: {
        ...defaultConfigInput.dividend,
        energy: { ...defaultConfigInput.dividend.energy, minWatts: noOther },
      },
    }
    expect(issuesOf(() => parseConfig(input))).toEqual([
      {
        path: 'dividend.energy.minWatts.other',
        message: 'required: the floor of every class not listed',
      },
    ])
  })
})

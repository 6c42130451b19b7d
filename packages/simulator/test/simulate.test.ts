import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { prepareVariant } from '../src/engine/prepareVariant.js'
import { runOnce } from '../src/engine/runOnce.js'
import { SimulatorError } from '../src/errors.js'
import { expandSweep, parseScenario } from '../src/scenario/parseScenario.js'
import { readScenarioFile } from '../src/scenario/readScenarioFile.js'
import type { ScenarioInput } from '../src/scenario/schema.js'
import { simulate } from '../src/simulate.js'
import type { SimulationSummary } from '../src/types.js'
import { handScenario } from './fixtures.js'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-sim-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const issuesOf = (error: unknown) =>
  (error as SimulatorError).details!.issues as { path: string; message: string }[]

const strip = (s: SimulationSummary) => ({ ...s, elapsedMs: 0, nodeEpochsPerSecond: 0 })

describe('claims on a scenario worked out by hand', () => {
  test('mean monthly ROI is exactly 100%, payback in month 1, 70% to contributors', async () => {
    const summary = await simulate(handScenario, { workers: 0 }).summary
    const v = summary.variants[0]!
    const verdicts = Object.fromEntries(v.claims.map((c) => [c.id, c]))
    expect(verdicts['exactly-100']!.probability).toBe(1)
    expect(verdicts.half!.probability).toBe(0)
    expect(verdicts['share-70']!.probability).toBe(1)
    expect(verdicts['exactly-100']!.breakEvenMonth).toBe(1)
    expect(v.months['monthlyRoi.solo']!.p50[0]).toBeCloseTo((31 * 70_000) / 2_135_000, 9)
    expect(v.months['monthlyRoi.solo']!.p50[1]).toBeCloseTo((30 * 70_000) / 2_135_000, 9)
    expect(v.months.revenue!.p50[0]).toBeCloseTo(31_000_000, 2)
  })

  test('a sampled hardware cost: the claim holds with the probability worked out by hand', async () => {
    // ROI = 2,135,000 / cost; cost ~ U(1,067,500, 4,270,000); ROI ≥ 1 ⇔ cost ≤ 2,135,000: P = 1/3
    const scenario: ScenarioInput = {
      ...handScenario,
      runs: 300,
      tiers: {
        solo: {
          ...handScenario.tiers.solo,
          hardwareCostPerGpu: { uniform: [1_067_500, 4_270_000] },
        },
      },
      claims: [
        {
          id: 'roi-100',
          metric: 'monthlyRoi',
          tier: 'solo',
          months: [1, 12],
          aggregate: 'mean',
          atLeast: 1,
        },
      ],
    }
    const summary = await simulate(scenario, { workers: 0 }).summary
    const claim = summary.variants[0]!.claims[0]!
    expect(claim.probability).toBeGreaterThan(1 / 3 - 0.09)
    expect(claim.probability).toBeLessThan(1 / 3 + 0.09)
    // the margin falls strictly with the cost: rank correlation -1, and it is the top parameter
    expect(claim.sensitivity[0]).toEqual({
      parameter: 'tiers.solo.hardwareCostPerGpu',
      correlation: -1,
    })
  })
})

describe('determinism', () => {
  // seed-model's heterogeneous nodes and behaviour (per-node engine), over its first year
  const scenario = { ...readScenarioFile('seed-model'), horizonMonths: 12, claims: [] }
  test('same seed, same result, whatever the number of workers; another seed differs', async () => {
    const options = { runs: 3, seed: 11 }
    const inline = strip(await simulate(scenario, { ...options, workers: 0 }).summary)
    const pooled = strip(await simulate(scenario, { ...options, workers: 2 }).summary)
    expect(pooled).toEqual(inline)
    expect(inline.variants[0]!.nodes?.all?.giniMonth12).toBeGreaterThan(0)
    const other = strip(await simulate(scenario, { ...options, seed: 12, workers: 0 }).summary)
    expect(other.variants[0]!.months.revenue).not.toEqual(inline.variants[0]!.months.revenue)
  })

  test('a run is a pure function of its seed', () => {
    const parsed = parseScenario(scenario)
    const prepared = prepareVariant(parsed.variants[0]!)
    const a = runOnce(prepared, 0, 99)
    const b = runOnce(prepared, 0, 99)
    expect(a.months).toEqual(b.months)
    expect(runOnce(prepared, 0, 100).months.price).not.toEqual(a.months.price)
  })
})

describe('sweeps', () => {
  test('cartesian crosses, zip pairs', () => {
    const parameters = { 'demand.monthlyGrowth': [0, 0.1], 'token.price': [1, 2, 3] }
    expect(expandSweep({ sweep: { mode: 'cartesian', parameters } })).toHaveLength(6)
    expect(expandSweep({ sweep: { mode: 'cartesian', parameters } })[1]).toEqual({
      'demand.monthlyGrowth': 0,
      'token.price': 2,
    })
    const zip = { 'demand.monthlyGrowth': [0, 0.1, 0.2], 'token.price': [1, 2, 3] }
    expect(expandSweep({ sweep: { mode: 'zip', parameters: zip } })).toEqual([
      { 'demand.monthlyGrowth': 0, 'token.price': 1 },
      { 'demand.monthlyGrowth': 0.1, 'token.price': 2 },
      { 'demand.monthlyGrowth': 0.2, 'token.price': 3 },
    ])
    expect(() => expandSweep({ sweep: { mode: 'zip', parameters } })).toThrow(/equal length/)
  })

  test('each variant runs with its values applied', async () => {
    const scenario: ScenarioInput = {
      ...handScenario,
      runs: 2,
      sweep: {
        mode: 'zip',
        parameters: { 'demand.initialMonthlyVolume': [30_436_875, 60_873_750] },
      },
    }
    const summary = await simulate(scenario, { workers: 0 }).summary
    expect(summary.variants.map((v) => v.parameters)).toEqual([
      { 'demand.initialMonthlyVolume': 30_436_875 },
      { 'demand.initialMonthlyVolume': 60_873_750 },
    ])
    const roi = summary.variants.map(
      (v) => v.claims.find((c) => c.id === 'exactly-100')!.probability,
    )
    expect(roi).toEqual([1, 0]) // doubling demand doubles ROI
  })
})

describe('bad scenarios are rejected before any run, every problem by path', () => {
  test('unknown fields, negative counts, probabilities outside [0, 1], an allocation that does not fit', () => {
    const bad = {
      ...handScenario,
      colour: 'blue',
      tiers: { solo: { ...handScenario.tiers.solo, initialNodes: -3, uptime: 1.5 } },
      demand: { ...handScenario.demand, noise: -1 },
      engine: { revenueSplit: { contributorsBps: 9000 } },
    }
    let progress = 0
    try {
      simulate(bad, { onProgress: () => progress++ })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(SimulatorError)
      expect((error as SimulatorError).code).toBe('SIM_INVALID_SCENARIO')
      const paths = issuesOf(error).map((i) => i.path)
      expect(paths).toEqual(
        expect.arrayContaining([
          '(root)',
          'tiers.solo.initialNodes',
          'tiers.solo.uptime',
          'demand.noise',
        ]),
      )
      expect((error as SimulatorError).message).toMatch(/tiers\.solo\.uptime/)
    }
    expect(progress).toBe(0)
    // cross-field engine rules: the allocation must fit the supply
    const allocation = [{ id: 'x', label: 'X', shareBps: 5000, release: { kind: 'emission' } }]
    expect(() => simulate({ ...handScenario, engine: { allocation } })).toThrow(
      /engine\.allocation/,
    )
    expect(() =>
      simulate({ ...handScenario, engine: { revenueSplit: { contributorsBps: 9000 } } }),
    ).toThrow(/engine\.revenueSplit/)
  })

  test('claims must name a tier that exists and fit the horizon', () => {
    const claims = [{ id: 'c', metric: 'monthlyRoi', tier: 'nope', months: [1, 13], atLeast: 0 }]
    try {
      parseScenario({ ...handScenario, claims })
      expect.unreachable()
    } catch (error) {
      expect(issuesOf(error).map((i) => i.path)).toEqual(['claims.0.tier', 'claims.0.months'])
    }
  })
})

describe('failures', () => {
  test('a run that throws is reported with its run and seed; the other runs finish', async () => {
    // Every transaction burns its whole value; big sampled values burn more than the supply.
    const scenario: ScenarioInput = {
      ...handScenario,
      runs: 12,
      burns: { tokenizationTxPerMonth: 30, txValueTokens: { uniform: [0, 70_000] } },
      engine: { burns: { thresholdValue: '0', rateBps: 10_000 } },
    }
    const summary = await simulate(scenario, { workers: 2 }).summary
    expect(summary.failedRuns.length).toBeGreaterThan(0)
    expect(summary.failedRuns.length).toBeLessThan(12)
    expect(summary.variants[0]!.runs + summary.failedRuns.length).toBe(12)
    const failure = summary.failedRuns[0]!
    expect(failure.message).toMatch(/above the supply/)
    // the reported seed reproduces the failure
    const prepared = prepareVariant(parseScenario(scenario).variants[0]!)
    expect(() => runOnce(prepared, failure.run, failure.seed)).toThrow(/above the supply/)
  })
})

describe('output', () => {
  test('streams epoch records and writes columnar files, a summary and a report', async () => {
    const out = tmp()
    const sim = simulate({ ...handScenario, runs: 2 }, { workers: 0, out })
    let records = 0
    let last: unknown
    for await (const record of sim) {
      records++
      last = record
    }
    expect(records).toBe(2 * 366)
    expect(last).toMatchObject({ run: 1, epoch: 365, month: 12, revenue: 1_000_000 })
    const summary = await sim.summary
    const epochs = readFileSync(join(out, 'epochs.csv'), 'utf8').trim().split('\n')
    expect(epochs[0]).toBe(
      'variant,run,seed,epoch,month,monthlyVolume,revenue,contributorRevenue,emission,burned,circulating,price,contributors,emissionsToRevenue',
    )
    expect(epochs).toHaveLength(1 + 2 * 366)
    expect(readFileSync(join(out, 'months.csv'), 'utf8').trim().split('\n')).toHaveLength(
      1 + 2 * 12,
    )
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).variants[0].claims).toEqual(
      summary.variants[0]!.claims,
    )
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg')
  })

  test('presets extend seed-model and validate', () => {
    for (const name of ['seed-model', 'helium-hip20', 'filecoin', 'monthly-decay'] as const) {
      const parsed = parseScenario(readScenarioFile(name), name)
      expect(parsed.scenario.name).toBe(name)
      expect(Object.keys(parsed.scenario.tiers)).toEqual(['home', 'mid', 'institution'])
    }
    expect(parseScenario(readScenarioFile('filecoin')).variants[0]!.engine.emission.curve).toBe(
      'decay',
    )
  })
})

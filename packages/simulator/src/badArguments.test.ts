import { describe, expect, test } from 'vitest'
import { handScenario } from '../test/fixtures.js'
import {
  createRng,
  evaluateClaim,
  expandSweep,
  fanChart,
  loadScenarioFile,
  mix32,
  P2Quantile,
  parseScenario,
  prepareVariant,
  presetPath,
  renderReport,
  runOnce,
  SeriesQuantiles,
  simulate,
  spearman,
} from './index.js'

// Types do not exist at run time: every exported function refuses what its type would refuse,
// with SIM_INVALID_ARGUMENT, instead of answering wrong or throwing a TypeError.
const cases: [string, () => unknown][] = [
  ['simulate runs 0', () => simulate(handScenario, { runs: 0 })],
  ['simulate runs 1.5', () => simulate(handScenario, { runs: 1.5 })],
  ['simulate runs NaN', () => simulate(handScenario, { runs: Number.NaN })],
  ['simulate runs above the scenario bound', () => simulate(handScenario, { runs: 1_000_001 })],
  ['simulate seed "7"', () => simulate(handScenario, { seed: '7' as unknown as number })],
  ['simulate workers -1', () => simulate(handScenario, { workers: -1 })],
  ['simulate unknown option', () => simulate(handScenario, { colour: 1 } as never)],
  ['simulate a number as scenario', () => simulate(42 as never)],
  ['createRng NaN', () => createRng(Number.NaN)],
  ['createRng -1', () => createRng(-1)],
  ['mix32 1.5', () => mix32(1.5)],
  ['presetPath unknown', () => presetPath('nope' as never)],
  ['prepareVariant {}', () => prepareVariant({} as never)],
  ['runOnce {}', () => runOnce({} as never, 0, 1)],
  ['evaluateClaim {}', () => evaluateClaim({} as never, { months: {} })],
  ['spearman unequal', () => spearman([1, 2], [1])],
  ['spearman strings', () => spearman(['a'] as never, [1])],
  ['expandSweep bad mode', () => expandSweep({ sweep: { mode: 'all', parameters: {} } } as never)],
  ['parseScenario source 5', () => parseScenario(handScenario, 5 as never)],
  ['loadScenarioFile 5', () => loadScenarioFile(5 as never)],
  ['fanChart {}', () => fanChart({} as never)],
  ['renderReport {}', () => renderReport({} as never)],
  ['P2Quantile 1', () => new P2Quantile(1)],
  ['SeriesQuantiles -1', () => new SeriesQuantiles(-1)],
]

describe('exported functions check their arguments', () => {
  test.each(cases)('%s → SIM_INVALID_ARGUMENT', (_, call) => {
    expect(call).toThrow(
      expect.objectContaining({ name: 'SimulatorError', code: 'SIM_INVALID_ARGUMENT' }),
    )
  })

  test('a sweep that would expand past 10,000 variants is refused by path', () => {
    const values = [1, 2, 3, 4, 5, 6, 7]
    const parameters = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((k) => [`x.${k}`, values]))
    let error: unknown
    try {
      expandSweep({ sweep: { mode: 'cartesian', parameters } })
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({
      code: 'SIM_INVALID_SCENARIO',
      details: { issues: [{ path: 'sweep.parameters', message: '16807 variants; at most 10000' }] },
    })
  })
})

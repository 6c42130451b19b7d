import { expect, test } from 'vitest'
import * as simulator from './index.js'

test('exports', () => {
  expect(Object.keys(simulator).sort()).toMatchInlineSnapshot(`
    [
      "EPOCH_COLUMNS",
      "MONTH_COLUMNS",
      "P2Quantile",
      "SeriesQuantiles",
      "SimulatorError",
      "TIER_MONTH_COLUMNS",
      "createRng",
      "evaluateClaim",
      "expandSweep",
      "fanChart",
      "loadScenarioFile",
      "mix32",
      "parseScenario",
      "prepareVariant",
      "presetPath",
      "presets",
      "readScenarioFile",
      "renderReport",
      "runOnce",
      "runsSchema",
      "scenarioSchema",
      "seedSchema",
      "simulate",
      "simulateFlagsSchema",
      "simulateOptionsSchema",
      "simulatorErrorCodes",
      "spearman",
      "workersSchema",
    ]
  `)
})

/**
 * Monte Carlo reward simulator built on @btt/core. Explicit exports only; index.test.ts snapshots
 * this list.
 *
 * @packageDocumentation
 * @module @btt/simulator
 */

export { evaluateClaim, spearman } from './claims/evaluateClaim.js'
export {
  EPOCH_COLUMNS,
  MONTH_COLUMNS,
  type RunResult,
  TIER_MONTH_COLUMNS,
} from './engine/columns.js'
export { type PreparedVariant, prepareVariant } from './engine/prepareVariant.js'
export { runOnce } from './engine/runOnce.js'
export {
  SimulatorError,
  type SimulatorErrorCode,
  simulatorErrorCodes,
} from './errors.js'
export { presetPath, presets } from './presets.js'
export { createRng, mix32, type Rng } from './random/createRng.js'
export { fanChart, renderReport } from './report/renderReport.js'
export type { ScenarioIssue } from './scenario/invalidScenario.js'
export {
  type LoadScenarioFileReturnType,
  loadScenarioFile,
} from './scenario/loadScenarioFile.js'
export {
  expandSweep,
  type ParsedScenario,
  parseScenario,
  type Variant,
} from './scenario/parseScenario.js'
export { readScenarioFile } from './scenario/readScenarioFile.js'
export {
  type Claim,
  runsSchema,
  type Scenario,
  type ScenarioInput,
  scenarioSchema,
  seedSchema,
} from './scenario/schema.js'
export { simulate } from './simulate.js'
export {
  simulateFlagsSchema,
  simulateOptionsSchema,
  workersSchema,
} from './simulation/optionsSchema.js'
export { P2Quantile, SeriesQuantiles } from './stats/P2Quantile.js'
export type {
  ClaimVerdict,
  EpochRecord,
  Quantiles,
  SimulateOptions,
  Simulation,
  SimulationProgress,
  SimulationSummary,
  VariantSummary,
} from './types.js'

// @btt/simulator — Monte Carlo reward simulator built on @btt/core.
export { evaluateClaim, spearman } from './claims/evaluateClaim.js'
export { type PreparedVariant, prepareVariant } from './engine/prepareVariant.js'
export {
  EPOCH_COLUMNS,
  MONTH_COLUMNS,
  type RunResult,
  runOnce,
  TIER_MONTH_COLUMNS,
} from './engine/runOnce.js'
export { ScenarioError, type ScenarioErrorType } from './errors.js'
export { presetPath, presets } from './presets.js'
export { createRng, mix32, type Rng } from './random/createRng.js'
export { fanChart, renderReport } from './report/renderReport.js'
export {
  expandSweep,
  type ParsedScenario,
  parseScenario,
  type Variant,
} from './scenario/parseScenario.js'
export { readScenarioFile } from './scenario/readScenarioFile.js'
export {
  type Claim,
  type Scenario,
  type ScenarioInput,
  scenarioSchema,
} from './scenario/schema.js'
export {
  type ClaimVerdict,
  type EpochRecord,
  type Quantiles,
  type SimulateOptions,
  type Simulation,
  type SimulationProgress,
  type SimulationSummary,
  simulate,
  type VariantSummary,
} from './simulate.js'
export { P2Quantile, SeriesQuantiles } from './stats/P2Quantile.js'

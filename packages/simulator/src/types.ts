// The simulation's public types, shared by simulate() and the report (no runtime imports here).
import type { EPOCH_COLUMNS } from './engine/columns.js'

export type SimulateOptions = {
  /** Monte Carlo runs per variant; the scenario's `runs` when omitted. */
  runs?: number
  /** Master seed; the scenario's `seed` when omitted. Run seeds derive from it. */
  seed?: number
  /** Worker threads; 0 runs everything on the calling thread. Default: the machine's cores. */
  workers?: number
  /**
   * Directory for `epochs.csv`, `months.csv`, `summary.json` and `report.html`. Checked before
   * any run: it must not be a file, lie under one, or overwrite an input; files are written under
   * temporary names and renamed into place when the simulation finishes.
   */
  out?: string
  /** Files the scenario was read from (e.g. `loadScenarioFile(...).files`): never overwritten. */
  inputs?: readonly string[]
  /** Called after each finished run. */
  onProgress?: (progress: SimulationProgress) => void
  /** Name used in error messages (e.g. the scenario's file path). */
  source?: string
}

export type SimulationProgress = {
  done: number
  total: number
  failed: number
  elapsedMs: number
  /** Estimated time left, from the pace so far. */
  etaMs: number
}

export type EpochRecord = {
  variant: number
  run: number
  seed: number
  epoch: number
  month: number
} & Record<(typeof EPOCH_COLUMNS)[number], number>

export type Quantiles = { p5: number[]; p50: number[]; p95: number[]; mean: number[] }

export type ClaimVerdict = {
  id: string
  description: string | undefined
  /** Share of runs in which the claim held. */
  probability: number
  runs: number
  /** Median payback month of the claim's tier (null when most runs never pay back). */
  breakEvenMonth: number | null
  /**
   * Sampled parameters ranked by |Spearman correlation| with the claim's margin (top 5; empty
   * below 10 runs).
   */
  sensitivity: { parameter: string; correlation: number }[]
}

/** Per-node facts of a tier (or `all`), medians across runs (per-node engine only). */
export type NodeFacts = {
  /** Mean over the first year of the monthly p5/p50/p95 of the nodes' monthly ROI. */
  roiYear1: { p5: number; p50: number; p95: number }
  /** The same over the whole horizon. */
  roiHorizon: { p5: number; p50: number; p95: number }
  /** Gini coefficient of the nodes' rewards in month 12 and in the last month. */
  giniMonth12: number
  giniLast: number
  /** Share of the month's rewards earned by the top 10% of nodes. */
  top10ShareMonth12: number
  top10ShareLast: number
  /** Nodes that left after losing money (by the horizon). */
  leftForLosses: number
  /** Share of the nodes present from the start that earned their hardware back by the horizon. */
  paidBack: number
  /**
   * The starting nodes' payback month at the horizon, p5/p50/p95 across nodes (median across
   * runs): the month a node paid back, or projected at its mean monthly profit; 1200 = never.
   */
  paybackMonths: { p5: number; p50: number; p95: number }
}

export type VariantSummary = {
  index: number
  parameters: Record<string, number | string | boolean>
  runs: number
  failed: number
  tiers: string[]
  months: Record<string, Quantiles>
  payback: Record<string, { p50: number | null; withinHorizon: number }>
  claims: ClaimVerdict[]
  /** Per-node engine only: ROI distribution, inequality, exits and payback, by tier and `all`. */
  nodes?: Record<string, NodeFacts>
}

export type SimulationSummary = {
  scenario: string
  description: string | undefined
  horizonMonths: number
  epochDays: number
  seed: number
  runsPerVariant: number
  variants: VariantSummary[]
  failedRuns: { variant: number; run: number; seed: number; message: string }[]
  nodeEpochs: number
  elapsedMs: number
  nodeEpochsPerSecond: number
}

/** A running simulation: iterate it for epoch records; `summary` resolves when every run is done. */
export type Simulation = AsyncIterable<EpochRecord> & {
  readonly summary: Promise<SimulationSummary>
}

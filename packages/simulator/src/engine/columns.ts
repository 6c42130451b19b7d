/** Per-epoch columns written for every run. */
export const EPOCH_COLUMNS = [
  'monthlyVolume',
  'revenue',
  'contributorRevenue',
  'emission',
  'burned',
  'circulating',
  'price',
  'contributors',
  'emissionsToRevenue',
] as const

/** Per-month columns, before the per-tier ones. */
export const MONTH_COLUMNS = [
  'monthlyVolume',
  'revenue',
  'contributorRevenue',
  'contributorRevenueShare',
  'emission',
  'emissionValue',
  'emissionsToRevenue',
  'burned',
  'circulating',
  'price',
  'contributors',
] as const

/** Per-tier monthly columns, named `<column>.<tier>`. */
export const TIER_MONTH_COLUMNS = ['monthlyRoi', 'cumulativeRoi', 'nodes', 'profitPerNode'] as const

export type RunResult = {
  variant: number
  run: number
  seed: number
  /** Values drawn from the scenario's distributions, by path. */
  sampled: Record<string, number>
  epochs: Record<string, Float64Array>
  months: Record<string, Float64Array>
  /** First month (1-based) in which a node that joined at the start has paid back its hardware. */
  paybackMonth: Record<string, number | null>
  /** Node-epochs simulated (nodes alive × epochs). */
  nodeEpochs: number
  /** Month index (0-based) of each epoch. */
  monthOf: Int32Array
}

/** The monthly column names of a run with these tiers: the shared ones, then `<column>.<tier>`. */
export function monthColumns(tierIds: readonly string[]): string[] {
  return [...MONTH_COLUMNS, ...tierIds.flatMap((t) => TIER_MONTH_COLUMNS.map((c) => `${c}.${t}`))]
}

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
  /** Per-node engine only: what the split took (epochs that needed the exact bigint path). */
  exactFallbacks?: number
}

/**
 * Per-node distribution columns (per-node engine), for each tier and for `all` nodes: p5/p50/p95
 * of the nodes' monthly ROI, Gini and top-10% share of the month's rewards, nodes that have left
 * because of losses (so far), the share of the nodes present from the start that have earned
 * their hardware back (so far), and p5/p50/p95 of those starting nodes' payback month (the month
 * each paid back, or projected at its mean monthly profit so far; 1200 for never).
 */
export const NODE_MONTH_COLUMNS = [
  'roiP5',
  'roiP50',
  'roiP95',
  'gini',
  'top10Share',
  'leftForLosses',
  'paidBack',
  'paybackP5',
  'paybackP50',
  'paybackP95',
] as const

/**
 * The monthly column names of a run with these tiers: the shared ones, then `<column>.<tier>`,
 * then (per-node engine) the node distribution columns for each tier and `all`.
 */
export function monthColumns(tierIds: readonly string[], perNode = false): string[] {
  const groups = [...tierIds, 'all']
  return [
    ...MONTH_COLUMNS,
    ...tierIds.flatMap((t) => TIER_MONTH_COLUMNS.map((c) => `${c}.${t}`)),
    ...(perNode ? groups.flatMap((g) => NODE_MONTH_COLUMNS.map((c) => `${c}.${g}`)) : []),
  ]
}

import type { Cohort, SampledTier } from './buildCohorts.js'

/** Per tier: its cohorts' indices and the cumulative share of joins each cohort's region takes. */
export type JoinWeights = { ids: number[]; cumulative: number[] }[]

/**
 * Where a tier's new nodes go: for each tier, its cohorts and the running share of their region
 * weights (the last is 1), so a uniform draw picks a cohort by weight.
 */
export function joinWeights(
  tiers: readonly SampledTier[],
  cohorts: readonly Cohort[],
): JoinWeights {
  return tiers.map((tier, t) => {
    const ids = cohorts.flatMap((c, i) => (c.tier === t ? [i] : []))
    const weights = ids.map((i) => tier.regions[cohorts[i]!.node.region] ?? 0)
    const total = weights.reduce((a, w) => a + w, 0)
    const cumulative: number[] = []
    let running = 0
    for (const w of weights) {
      running += w
      cumulative.push(running / total)
    }
    return { ids, cumulative }
  })
}

import type { Rng } from '../random/createRng.js'
import type { Cohort, SampledTier } from './buildCohorts.js'
import type { JoinWeights } from './joinWeights.js'

/**
 * One epoch of network change, in place: each tier's joins (Poisson) go to its regions by weight,
 * then each cohort loses its churn (Poisson) and draws its uptime. The draws happen in a fixed
 * order, so a run stays a pure function of its seed.
 *
 * @returns the nodes alive and the compute capacity they supply (units × uptime).
 */
export function stepNetwork(
  cohorts: Cohort[],
  tiers: readonly SampledTier[],
  weights: JoinWeights,
  perMonth: number,
  rng: Rng,
): { alive: number; capacity: number } {
  tiers.forEach((tier, t) => {
    const joins = rng.poisson(tier.joinsPerMonth * perMonth)
    const { ids, cumulative } = weights[t]!
    for (let j = 0; j < joins; j++) {
      const u = rng.next()
      let k = 0
      while (k < cumulative.length - 1 && u >= cumulative[k]!) k++
      cohorts[ids[k]!]!.node.count++
    }
  })
  let alive = 0
  let capacity = 0
  for (const c of cohorts) {
    const tier = tiers[c.tier]!
    if (tier.churnPerMonth > 0 && c.node.count > 0)
      c.node.count -= Math.min(
        c.node.count,
        rng.poisson(c.node.count * tier.churnPerMonth * perMonth),
      )
    const up =
      c.jitter > 0 ? Math.min(1, Math.max(0, c.meanUptime + c.jitter * rng.normal())) : c.meanUptime
    c.node.uptimePpm = Math.round(up * 1e6)
    alive += c.node.count
    capacity += c.node.count * c.node.gpuUnits * up
  }
  return { alive, capacity }
}

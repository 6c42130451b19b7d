import { type EngineConfig, MONTH, shareContributorRevenue, splitRevenue } from '@btt/core'
import type { SampledScenario } from '../scenario/sampleScenario.js'
import type { Cohort } from './buildCohorts.js'

/**
 * One epoch's demand and revenue: the month's volume (compound growth × the month's shock,
 * capped), its share for this epoch split exactly in fen by @btt/core's `splitRevenue`, and the
 * contributors' part shared by cohorts by compute supplied (units × uptime), written into
 * `paidRevenue` (CNY per cohort).
 *
 * @returns the monthly volume, the epoch's revenue and the contributors' part, in CNY.
 */
export function stepRevenue(
  demand: SampledScenario['demand'],
  epoch: { at: number; seconds: number; shock: number },
  cohorts: readonly Cohort[],
  engine: EngineConfig,
  paidRevenue: Float64Array,
): { volume: number; revenue: number; contributorRevenue: number } {
  const perMonth = epoch.seconds / MONTH
  let volume =
    demand.initialMonthlyVolume * (1 + demand.monthlyGrowth) ** (epoch.at / MONTH) * epoch.shock
  if (demand.maxMonthlyVolume !== undefined) volume = Math.min(volume, demand.maxMonthlyVolume)
  const revenueFen = BigInt(Math.round(volume * perMonth * 100))
  const split = splitRevenue(revenueFen, engine)
  paidRevenue.fill(0)
  const weights = cohorts.map(
    (c) => BigInt(c.node.count * c.node.gpuUnits) * BigInt(c.node.uptimePpm),
  )
  if (weights.some((w) => w > 0n)) {
    const shares = shareContributorRevenue(split.contributors, weights)
    for (let i = 0; i < cohorts.length; i++) paidRevenue[i] = Number(shares[i]!) / 100
  }
  return {
    volume,
    revenue: Number(revenueFen) / 100,
    contributorRevenue: Number(split.contributors) / 100,
  }
}

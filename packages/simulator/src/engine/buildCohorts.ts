import { allocate, type ContributorNode } from '@btt/core'
import type { SampledScenario } from '../scenario/sampleScenario.js'

export type SampledTier = SampledScenario['tiers'][string]

/** Identical nodes of one tier in one region, passed to @btt/core as one grouped entry. */
export type Cohort = {
  /** Index of the cohort's tier in the run's tier list. */
  tier: number
  node: ContributorNode & { count: number; uptimePpm: number }
  meanUptime: number
  jitter: number
  /** Electricity cost per node per epoch at 100% uptime, CNY. */
  powerCost: number
}

/**
 * The starting cohorts of a run: one per tier and region with a positive weight, the tier's
 * initial nodes spread over its regions by weight (largest remainder, so they sum exactly).
 *
 * @param tiers - the sampled tiers, in the order of `tierIds`.
 * @param tierIds - the tiers' names.
 * @param epochSeconds - the epoch length, for the electricity cost per epoch.
 */
export function buildCohorts(
  tiers: readonly SampledTier[],
  tierIds: readonly string[],
  epochSeconds: number,
): Cohort[] {
  const cohorts: Cohort[] = []
  tiers.forEach((tier, t) => {
    const regions = Object.entries(tier.regions).filter(([, w]) => w > 0)
    const initial = allocate(
      BigInt(tier.initialNodes),
      regions.map(([, w]) => BigInt(Math.round(w * 1e6))),
    )
    regions.forEach(([region], r) => {
      cohorts.push({
        tier: t,
        node: {
          id: `${tierIds[t]}/${region}`,
          region,
          count: Number(initial[r]),
          gpuUnits: tier.gpusPerNode * tier.gpuUnitsPerGpu,
          accelerators: 0,
          uptimePpm: Math.round(tier.uptime * 1e6),
          latencyMs: tier.latencyMs,
          throughput: tier.throughputPerHour,
          gflopsPerWatt: tier.gflopsPerWatt,
        },
        meanUptime: tier.uptime,
        jitter: tier.uptimeJitter,
        powerCost:
          ((tier.gpusPerNode * tier.powerWattsPerGpu) / 1000) *
          (epochSeconds / 3600) *
          tier.electricityPricePerKwh,
      })
    })
  })
  return cohorts
}

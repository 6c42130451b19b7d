import type { Cohort } from './buildCohorts.js'

/** What one epoch produced, in CNY and tokens. */
export type EpochFlows = {
  volume: number
  revenue: number
  contributorRevenue: number
  emitted: number
  burned: number
  circulating: number
  price: number
  alive: number
}

/** A run's series and what the tier columns need: cohorts' pay this epoch and the investment. */
export type RunFrame = {
  ep: Record<string, Float64Array>
  mo: Record<string, Float64Array>
  cohorts: readonly Cohort[]
  tierIds: readonly string[]
  /** Hardware investment per node, by tier index, CNY. */
  investment: readonly number[]
  paidRevenue: Float64Array
  paidTokens: Float64Array
}

/**
 * Writes one epoch into the run's series: the epoch columns, the month's sums and last values,
 * and per tier the profit per node (revenue share + rewards at today's price − electricity) and
 * its monthly ROI on the hardware.
 */
export function recordEpoch(frame: RunFrame, e: number, m: number, f: EpochFlows): void {
  recordFlows(frame, e, m, f)
  recordTiers(frame, m, f.price)
}

/** The epoch columns and the month's sums and last values (no tier columns). */
export function recordFlows(
  frame: Pick<RunFrame, 'ep' | 'mo'>,
  e: number,
  m: number,
  f: EpochFlows,
): void {
  const { ep, mo } = frame
  ep.monthlyVolume![e] = f.volume
  ep.revenue![e] = f.revenue
  ep.contributorRevenue![e] = f.contributorRevenue
  ep.emission![e] = f.emitted
  ep.burned![e] = f.burned
  ep.circulating![e] = f.circulating
  ep.price![e] = f.price
  ep.contributors![e] = f.alive
  ep.emissionsToRevenue![e] = f.revenue > 0 ? (f.emitted * f.price) / f.revenue : 0

  mo.revenue![m]! += f.revenue
  mo.contributorRevenue![m]! += f.contributorRevenue
  mo.emission![m]! += f.emitted
  mo.emissionValue![m]! += f.emitted * f.price
  mo.burned![m]! += f.burned
  mo.monthlyVolume![m] = f.volume
  mo.circulating![m] = f.circulating
  mo.price![m] = f.price
  mo.contributors![m] = f.alive
}

function recordTiers(frame: RunFrame, m: number, price: number): void {
  const { mo, cohorts, paidRevenue, paidTokens, investment } = frame
  for (let t = 0; t < frame.tierIds.length; t++) {
    let nodes = 0
    let profit = 0
    for (let i = 0; i < cohorts.length; i++) {
      const c = cohorts[i]!
      if (c.tier !== t) continue
      nodes += c.node.count
      profit +=
        paidRevenue[i]! +
        paidTokens[i]! * price -
        c.powerCost * (c.node.uptimePpm / 1e6) * c.node.count
    }
    const perNode = nodes > 0 ? profit / nodes : 0
    const id = frame.tierIds[t]!
    mo[`profitPerNode.${id}`]![m]! += perNode
    mo[`monthlyRoi.${id}`]![m]! += investment[t]! > 0 ? perNode / investment[t]! : 0
    mo[`nodes.${id}`]![m] = nodes
  }
}

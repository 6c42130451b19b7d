import { type BurnState, initialBurnState, MONTH, splitRevenue } from '@btt/core'
import { baselineMinter } from '../engine/baselineMinter.js'
import type { RunResult } from '../engine/columns.js'
import { finishMonths } from '../engine/finishMonths.js'
import { type PreparedVariant, toTokens } from '../engine/prepareVariant.js'
import { recordFlows } from '../engine/recordEpoch.js'
import { runSeries } from '../engine/runSeries.js'
import { stepBurns } from '../engine/stepBurns.js'
import { stepPrice } from '../engine/stepPrice.js'
import { createRng, type Rng } from '../random/createRng.js'
import { sampleScenario } from '../scenario/sampleScenario.js'
import { closeMonth } from './closeMonth.js'
import { drawNode } from './drawNode.js'
import { addNode, joinPending, type NodeRun, resolveFactors, startNodeRun } from './nodeRun.js'
import { populationBound } from './populationBound.js'
import { bookEpoch, splitEpoch, stepUptime } from './stepNodes.js'

/** What a test sees of each epoch: the nodes as they were paid, and what was split. */
export type EpochView = {
  epoch: number
  run: NodeRun
  contributorsFen: bigint
  pool: bigint
  paid: { revenue: boolean; rewards: boolean }
}

/**
 * One Monte Carlo run with every node simulated on its own (see {@link runOnce}, which calls it
 * for a scenario whose tiers declare per-node distributions). Each epoch every node's uptime
 * process steps, the contributors' revenue and the reward pool are split between all nodes
 * exactly as @btt/core's `shareContributorRevenue` and `dividendShares` would, and every node
 * books its profit; each month every node's ROI, payback and loss streak are closed and nodes
 * join or leave by their tier's behaviour.
 *
 * @param observe - called after each epoch's split (for tests); leave it out otherwise.
 */
export function runNodes(
  prepared: PreparedVariant,
  run: number,
  seed: number,
  observe?: (view: EpochView) => void,
): RunResult {
  const rng = createRng(seed)
  const { scenario: s, sampled } = sampleScenario(prepared.variant.scenario, rng)
  const engine = prepared.variant.engine
  const { epochs, months, epochSeconds, tierIds } = prepared
  const perMonth = epochSeconds / MONTH
  const tiers = tierIds.map((id) => s.tiers[id]!)
  const bound = populationBound(prepared.variant.scenario)
  const capacity = Math.min(bound.nodes, 4_000_000)
  const state = startNodeRun(tiers, engine, s.epochDays, capacity, rng, prepared.monthOf)
  const series = runSeries(epochs, months, tierIds, true)
  const roiHistory = tierIds.map(() => [] as number[])
  const joining = tierIds.map(() => false)
  const baseline = baselineMinter(s.baselineMinting, prepared, engine)
  let scratch = {
    roi: new Float64Array(state.pop.capacity),
    rewards: new Float64Array(state.pop.capacity),
  }
  let price = s.token.model === 'fixed' ? s.token.price : s.token.initialPrice
  let burns: BurnState = initialBurnState
  let shock = 1
  let nodeEpochs = 0
  for (let e = 0; e < epochs; e++) {
    const m = prepared.monthOf[e]!
    if (e === 0 || m !== prepared.monthOf[e - 1]) shock = monthShock(s.demand.noise, rng)
    joinPending(state, e, rng)
    joins(state, e, perMonth, joining, rng)
    resolveFactors(state)
    stepUptime(state, e, rng)
    nodeEpochs += state.pop.n
    const at = e * epochSeconds
    let volume =
      s.demand.initialMonthlyVolume * (1 + s.demand.monthlyGrowth) ** (at / MONTH) * shock
    if (s.demand.maxMonthlyVolume !== undefined)
      volume = Math.min(volume, s.demand.maxMonthlyVolume)
    const revenueFen = BigInt(Math.round(volume * perMonth * 100))
    const split = splitRevenue(revenueFen, engine)
    const capacity = upCapacity(state)
    const pool = prepared.emission[e]! + baseline(capacity, at + epochSeconds, epochSeconds)
    const paid = splitEpoch(state, split.contributors, pool)
    observe?.({ epoch: e, run: state, contributorsFen: split.contributors, pool, paid })
    const sold = bookEpoch(state, paid, price)
    const emitted = paid.rewards ? toTokens(pool) : 0
    const burned = stepBurns(burns, s.burns, perMonth, engine, rng)
    burns = burned.state
    const revenue = Number(revenueFen) / 100
    price = stepPrice(price, s.token, { revenue, emitted, seconds: epochSeconds, sold }, rng)
    recordFlows(series, e, m, {
      volume,
      revenue,
      contributorRevenue: Number(split.contributors) / 100,
      emitted,
      burned: burned.burned,
      circulating: prepared.circulating[e]! - toTokens(burns.burned),
      price,
      alive: state.pop.n,
    })
    if (e === epochs - 1 || prepared.monthOf[e + 1] !== m) {
      if (scratch.roi.length < state.pop.capacity)
        scratch = {
          roi: new Float64Array(state.pop.capacity),
          rewards: new Float64Array(state.pop.capacity),
        }
      closeMonth(state, m, series.mo, tierIds, rng, scratch)
      decideJoins(tiers, tierIds, series.mo, m, roiHistory, joining)
    }
  }
  return {
    variant: prepared.variant.index,
    run,
    seed,
    sampled: usedSamples(sampled, tiers, tierIds),
    epochs: series.ep,
    months: series.mo,
    paybackMonth: finishMonths(series.mo, months, tierIds),
    nodeEpochs,
    monthOf: prepared.monthOf,
    exactFallbacks: state.divOut.fallbacks + state.revOut.fallbacks,
  }
}

/** Exogenous joins (the tier's `joinsPerMonth`) and behaviour joins while the tier is attractive. */
function joins(state: NodeRun, e: number, perMonth: number, joining: boolean[], rng: Rng): void {
  state.tiers.forEach((tier, t) => {
    const rate = tier.joinsPerMonth + (joining[t] ? (tier.behaviour?.join?.nodesPerMonth ?? 0) : 0)
    const k = rng.poisson(rate * perMonth)
    for (let j = 0; j < k; j++) {
      const node = drawNode(state.populations[t]!, state.tierRegions[t]!, state.epochDays, rng)
      addNode(state, t, node, e, rng)
    }
  })
}

/** A tier attracts new nodes next month when its mean monthly ROI over the lookback beat the threshold. */
function decideJoins(
  tiers: NodeRun['tiers'],
  tierIds: readonly string[],
  mo: Record<string, Float64Array>,
  m: number,
  history: number[][],
  joining: boolean[],
): void {
  tiers.forEach((tier, t) => {
    history[t]!.push(mo[`monthlyRoi.${tierIds[t]}`]![m]!)
    const rule = tier.behaviour?.join
    if (!rule) return
    const recent = history[t]!.slice(-rule.lookbackMonths)
    joining[t] =
      recent.length === rule.lookbackMonths &&
      recent.reduce((a, b) => a + b, 0) / recent.length > rule.roiThreshold
  })
}

/** A tier with per-node distributions ignores its typical-node scalars: they are no inputs. */
const TYPICAL = [
  'gpusPerNode',
  'gpuUnitsPerGpu',
  'hardwareCostPerGpu',
  'powerWattsPerGpu',
  'electricityPricePerKwh',
  'uptime',
  'uptimeJitter',
  'latencyMs',
  'throughputPerHour',
  'gflopsPerWatt',
]

/** The values sampled for this run that the per-node engine uses (for the sensitivity ranking). */
function usedSamples(
  sampled: Record<string, number>,
  tiers: NodeRun['tiers'],
  tierIds: readonly string[],
): Record<string, number> {
  const unused = new Set(
    tierIds.flatMap((id, t) => (tiers[t]!.nodes ? TYPICAL.map((f) => `tiers.${id}.${f}`) : [])),
  )
  return Object.fromEntries(Object.entries(sampled).filter(([k]) => !unused.has(k)))
}

/**
 * Compute capacity of the nodes up this epoch (units × uptime), for baseline minting: the revenue
 * split's weights are exactly units × uptime (ppm), and their limb sums are kept as nodes flip.
 */
function upCapacity(state: NodeRun): number {
  const s = state.pop.revenue.sums!
  return (s[0]! + s[1]! * 2 ** 24 + s[2]! * 2 ** 48 + s[3]! * 2 ** 72) / 1e6
}

function monthShock(noise: number, rng: Rng): number {
  return noise > 0 ? Math.exp(noise * rng.normal() - (noise * noise) / 2) : 1
}

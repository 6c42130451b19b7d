import type { Rng } from '../random/createRng.js'
import {
  inequality,
  inequalityOfSorted,
  mergeSorted,
  nearestRank,
  quantileOf,
} from './nodeMetrics.js'
import type { NodeRun } from './nodeRun.js'
import { NEVER_MONTHS, paybackMonths } from './paybackMonths.js'
import { compact } from './population.js'

/**
 * Closes a month for every node: its ROI (the month's profit over its hardware), payback, loss
 * streak, and whether it leaves (exogenous churn, or `behaviour.exit` after `lossMonths` losing
 * months in a row); then writes the tier columns and the per-node distribution columns
 * (p5/p50/p95 ROI, Gini and top-10% of rewards, left for losses, paid back, payback months of the
 * starting nodes) for month `m`.
 *
 * @param scratch - space for one value per node.
 */
export function closeMonth(
  run: NodeRun,
  m: number,
  mo: Record<string, Float64Array>,
  tierIds: readonly string[],
  rng: Rng,
  scratch: { roi: Float64Array; rewards: Float64Array },
): void {
  const p = run.pop
  const T = tierIds.length
  const sumRoi = new Float64Array(T)
  const sumProfit = new Float64Array(T)
  const count = new Int32Array(T)
  for (let i = 0; i < p.n; i++) {
    const t = p.tier[i]!
    const profit = p.monthProfit[i]!
    const roi = p.investment[i]! > 0 ? profit / p.investment[i]! : 0
    scratch.roi[i] = roi
    scratch.rewards[i] = p.monthRewards[i]!
    sumRoi[t]! += roi
    sumProfit[t]! += profit
    count[t]!++
    p.cumulativeProfit[i]! += profit
    if (p.paybackMonth[i] === 0 && p.cumulativeProfit[i]! >= p.investment[i]!) {
      p.paybackMonth[i] = m + 1
      if (p.initial[i]) run.paidBack[t]!++
    }
    p.lossStreak[i] = profit < 0 ? p.lossStreak[i]! + 1 : 0
    p.sellNow[i] = p.lossStreak[i]! > 0 ? 1 : p.sellShare[i]!
    p.monthProfit[i] = 0
    p.monthRewards[i] = 0
    leaveOrStay(run, i, rng)
  }
  tierIds.forEach((id, t) => {
    mo[`monthlyRoi.${id}`]![m] = count[t]! > 0 ? sumRoi[t]! / count[t]! : 0
    mo[`profitPerNode.${id}`]![m] = count[t]! > 0 ? sumProfit[t]! / count[t]! : 0
    mo[`nodes.${id}`]![m] = count[t]!
  })
  distributions(run, m, mo, tierIds, scratch)
  paybackMonths(run, m, mo, tierIds, run.monthOf)
  for (let i = 0; i < p.n; i++)
    if (p.leaving[i] && p.initial[i])
      run.departedPayback[p.tier[i]!]!.push(p.paybackMonth[i]! || NEVER_MONTHS)
  const removed = compact(p)
  if (removed) for (let r = 0; r < run.regionCount.length; r++) run.regionCount[r] = 0
  if (removed) for (let i = 0; i < p.n; i++) run.regionCount[p.region[i]!]!++
}

function leaveOrStay(run: NodeRun, i: number, rng: Rng): void {
  const p = run.pop
  const t = p.tier[i]!
  const tier = run.tiers[t]!
  const exit = tier.behaviour?.exit
  if (exit && p.lossStreak[i]! >= exit.lossMonths && rng.next() < exit.probability) {
    p.leaving[i] = 1
    run.leftForLosses[t]!++
  } else if (tier.churnPerMonth > 0 && rng.next() < tier.churnPerMonth) p.leaving[i] = 1
}

function distributions(
  run: NodeRun,
  m: number,
  mo: Record<string, Float64Array>,
  tierIds: readonly string[],
  scratch: { roi: Float64Array; rewards: Float64Array },
): void {
  const p = run.pop
  const roi = new Float64Array(p.n)
  // each tier's rewards in its own run, sorted there; the runs merged give every node's in order
  const rewards = new Float64Array(p.n)
  const ends: number[] = []
  for (let t = 0; t < tierIds.length; t++) {
    const from = ends.length > 0 ? ends[ends.length - 1]! : 0
    let k = 0
    for (let i = 0; i < p.n; i++)
      if (p.tier[i] === t) {
        roi[k++] = scratch.roi[i]!
        rewards[from + k - 1] = scratch.rewards[i]!
      }
    ends.push(from + k)
    write(run, m, mo, t, tierIds[t]!, roi, k, inequality(rewards.subarray(from), k))
  }
  roi.set(scratch.roi.subarray(0, p.n))
  const all = new Float64Array(p.n)
  mergeSorted(rewards, ends, all)
  write(run, m, mo, -1, 'all', roi, p.n, inequalityOfSorted(all, p.n))
}

/** One group's columns (`t` a tier, -1 all nodes) from its ROI values and reward inequality. */
function write(
  run: NodeRun,
  m: number,
  mo: Record<string, Float64Array>,
  t: number,
  g: string,
  roi: Float64Array,
  k: number,
  ineq: { gini: number; top10Share: number },
): void {
  // each selection leaves the values partitioned: the next, higher rank is searched above it
  mo[`roiP5.${g}`]![m] = quantileOf(roi, k, 0.05)
  mo[`roiP50.${g}`]![m] = quantileOf(roi, k, 0.5, nearestRank(k, 0.05))
  mo[`roiP95.${g}`]![m] = quantileOf(roi, k, 0.95, nearestRank(k, 0.5))
  mo[`gini.${g}`]![m] = ineq.gini
  mo[`top10Share.${g}`]![m] = ineq.top10Share
  const pick = (a: Int32Array) => (t < 0 ? a.reduce((x, y) => x + y, 0) : a[t]!)
  mo[`leftForLosses.${g}`]![m] = pick(run.leftForLosses)
  const initial = pick(run.initial)
  mo[`paidBack.${g}`]![m] = initial > 0 ? pick(run.paidBack) / initial : 0
}

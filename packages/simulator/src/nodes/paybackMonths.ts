import { quantileOf } from './nodeMetrics.js'
import type { NodeRun } from './nodeRun.js'

/** Months to payback reported for a node that never pays back (loses money on average, or left). */
export const NEVER_MONTHS = 1200

/**
 * A node's payback month (1-based) as known at the end of month `m` (0-based): the month it earned
 * its hardware back if it has (`paidMonth` > 0); otherwise projected at its mean monthly profit
 * over the `monthsAlive` months it has run, capped at {@link NEVER_MONTHS} (also when that mean
 * is not positive).
 */
export function projectedPayback(
  paidMonth: number,
  investment: number,
  cumulativeProfit: number,
  m: number,
  monthsAlive: number,
): number {
  if (paidMonth > 0) return paidMonth
  const rate = cumulativeProfit / monthsAlive
  if (!(rate > 0)) return NEVER_MONTHS
  return Math.min(NEVER_MONTHS, m + 1 + (investment - cumulativeProfit) / rate)
}

/**
 * The starting nodes' payback months (see {@link projectedPayback}; a starting node that has left
 * counts with the month it paid back, or never) as p5/p50/p95 per tier and for `all`, month `m`.
 */
export function paybackMonths(
  run: NodeRun,
  m: number,
  mo: Record<string, Float64Array>,
  tierIds: readonly string[],
  monthOf: Int32Array,
): void {
  const p = run.pop
  const perTier = tierIds.map((_, t) => [...run.departedPayback[t]!])
  for (let i = 0; i < p.n; i++) {
    if (!p.initial[i]) continue
    const alive = m + 1 - monthOf[p.joinEpoch[i]!]!
    perTier[p.tier[i]!]!.push(
      projectedPayback(p.paybackMonth[i]!, p.investment[i]!, p.cumulativeProfit[i]!, m, alive),
    )
  }
  const groups = [...perTier, perTier.flat()]
  groups.forEach((values, k) => {
    const g = k < tierIds.length ? tierIds[k]! : 'all'
    const v = Float64Array.from(values)
    mo[`paybackP5.${g}`]![m] = quantileOf(v, v.length, 0.05)
    mo[`paybackP50.${g}`]![m] = quantileOf(v, v.length, 0.5)
    mo[`paybackP95.${g}`]![m] = quantileOf(v, v.length, 0.95)
  })
}

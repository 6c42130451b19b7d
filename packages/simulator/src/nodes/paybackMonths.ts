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
  // per tier: [departed…, present…] in one typed array; `all` is every tier's, one after another
  const T = tierIds.length
  const start = new Int32Array(T + 1)
  for (let t = 0; t < T; t++) start[t + 1] = start[t]! + run.initial[t]!
  const v = new Float64Array(start[T]!)
  const fill = start.slice(0, T)
  for (let t = 0; t < T; t++) for (const x of run.departedPayback[t]!) v[fill[t]!++] = x
  for (let i = 0; i < p.n; i++) {
    if (!p.initial[i]) continue
    const alive = m + 1 - monthOf[p.joinEpoch[i]!]!
    v[fill[p.tier[i]!]!++] = projectedPayback(
      p.paybackMonth[i]!,
      p.investment[i]!,
      p.cumulativeProfit[i]!,
      m,
      alive,
    )
  }
  const parts = tierIds.map((_, t) => v.subarray(start[t]!, fill[t]!))
  const all = new Float64Array(parts.reduce((a, x) => a + x.length, 0))
  let at = 0
  for (const x of parts) {
    all.set(x, at)
    at += x.length
  }
  ;[...parts, all].forEach((part, k) => {
    const g = k < T ? tierIds[k]! : 'all'
    mo[`paybackP5.${g}`]![m] = quantileOf(part, part.length, 0.05)
    mo[`paybackP50.${g}`]![m] = quantileOf(part, part.length, 0.5)
    mo[`paybackP95.${g}`]![m] = quantileOf(part, part.length, 0.95)
  })
}

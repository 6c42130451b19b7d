import { evaluateClaim } from '../claims/evaluateClaim.js'
import { monthColumns, type RunResult } from '../engine/columns.js'
import type { Claim } from '../scenario/schema.js'
import { SeriesQuantiles } from '../stats/P2Quantile.js'

/** What is kept of a variant's runs: online quantiles, claim outcomes and the sampled values. */
export type VariantState = {
  index: number
  parameters: Record<string, number | string | boolean>
  tiers: string[]
  claims: Claim[]
  runs: number
  failed: number
  months: Map<string, SeriesQuantiles>
  payback: Map<string, (number | null)[]>
  outcomes: { holds: boolean; margin: number }[][]
  sampled: Record<string, number>[]
}

/** An empty tally for a variant: one online quantile estimator per monthly column. */
export function newVariantState(
  index: number,
  parameters: VariantState['parameters'],
  tiers: string[],
  horizon: number,
  claims: Claim[],
  perNode = false,
): VariantState {
  const months = new Map<string, SeriesQuantiles>()
  for (const c of monthColumns(tiers, perNode)) months.set(c, new SeriesQuantiles(horizon))
  return {
    index,
    parameters,
    tiers,
    claims,
    runs: 0,
    failed: 0,
    months,
    payback: new Map(tiers.map((t) => [t, []])),
    outcomes: claims.map(() => []),
    sampled: [],
  }
}

/** Adds one finished run to its variant's tally; the run itself is not kept. */
export function consumeRun(state: VariantState, result: RunResult): void {
  state.runs++
  for (const [column, q] of state.months) q.add(result.months[column]!)
  for (const t of state.tiers) state.payback.get(t)!.push(result.paybackMonth[t] ?? null)
  state.claims.forEach((claim, i) => {
    const { holds, margin } = evaluateClaim(claim, result)
    state.outcomes[i]!.push({ holds, margin })
  })
  state.sampled.push(result.sampled)
}

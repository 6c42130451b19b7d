import { spearman } from '../claims/evaluateClaim.js'
import type { ClaimVerdict, Quantiles, VariantSummary } from '../types.js'
import { nodeFacts } from './nodeFacts.js'
import type { VariantState } from './variantState.js'

/** Rank correlations from a handful of runs are noise: they are reported from 10 runs up. */
export const MIN_RUNS_FOR_SENSITIVITY = 10

/**
 * A variant's summary from its tally: quantiles per month, the median payback month per tier
 * (null unless more than half the runs pay back), and each claim's verdict with the sampled
 * parameters its margin is most sensitive to.
 */
export function finishVariant(state: VariantState): VariantSummary {
  const months: Record<string, Quantiles> = {}
  for (const [column, q] of state.months) months[column] = q.toJSON()
  const payback: VariantSummary['payback'] = {}
  for (const [tier, values] of state.payback) {
    const reached = values.filter((v): v is number => v !== null).sort((a, b) => a - b)
    payback[tier] = {
      p50:
        reached.length * 2 > values.length
          ? (reached[Math.floor(values.length / 2)] ?? null)
          : null,
      withinHorizon: values.length ? reached.length / values.length : 0,
    }
  }
  const nodes = nodeFacts(months, state.tiers, months.revenue?.p50.length ?? 0)
  return {
    ...(nodes ? { nodes } : {}),
    index: state.index,
    parameters: state.parameters,
    runs: state.runs,
    failed: state.failed,
    tiers: state.tiers,
    months,
    payback,
    claims: state.claims.map((_, i) => claimVerdict(state, i, payback)),
  }
}

function claimVerdict(
  state: VariantState,
  i: number,
  payback: VariantSummary['payback'],
): ClaimVerdict {
  const claim = state.claims[i]!
  const outcomes = state.outcomes[i]!
  const margins = outcomes.map((o) => o.margin)
  const parameters = [...new Set(state.sampled.flatMap((s) => Object.keys(s)))].sort()
  const sensitivity = (margins.length < MIN_RUNS_FOR_SENSITIVITY ? [] : parameters)
    .map((parameter) => ({
      parameter,
      correlation: spearman(
        state.sampled.map((s) => s[parameter] ?? 0),
        margins,
      ),
    }))
    .filter((s) => s.correlation !== 0)
    .sort((a, b) => Math.abs(b.correlation) - Math.abs(a.correlation))
    .slice(0, 5)
  return {
    id: claim.id,
    description: claim.description,
    probability: outcomes.length ? outcomes.filter((o) => o.holds).length / outcomes.length : 0,
    runs: outcomes.length,
    breakEvenMonth: claim.tier ? (payback[claim.tier]?.p50 ?? null) : null,
    sensitivity,
  }
}

import { z } from 'zod'
import type { RunResult } from '../engine/columns.js'
import { SimulatorError } from '../errors.js'
import { parseArguments } from '../parseArguments.js'
import { type Claim, claimSchema } from '../scenario/schema.js'

const runSchema = z.object({
  months: z.record(z.string(), z.instanceof(Float64Array)),
})

/**
 * Whether a claim holds in one run, and by how much (the margin: positive when it holds, the
 * distance to the nearest bound otherwise — what the sensitivity analysis correlates).
 *
 * @param claim - a claim as the scenario schema gives it.
 * @param run - the run's monthly series.
 * @returns whether it holds, the margin, and the value the verdict rests on.
 * @throws {SimulatorError} `SIM_INVALID_ARGUMENT` for a malformed claim or run;
 * `SIM_UNKNOWN_SERIES` when the run has no series for the claim's metric (and tier), or too few
 * months for its range.
 */
export function evaluateClaim(
  claim: Claim,
  run: Pick<RunResult, 'months'>,
): { holds: boolean; margin: number; value: number } {
  const c = parseArguments(claimSchema, claim, 'claim')
  const { months } = parseArguments(runSchema, run, 'run')
  return evaluate(c, months)
}

function evaluate(
  claim: Claim,
  months: Record<string, Float64Array>,
): { holds: boolean; margin: number; value: number } {
  const column = claim.tier ? `${claim.metric}.${claim.tier}` : claim.metric
  const series = months[column]
  if (!series || series.length < claim.months[1])
    throw new SimulatorError(
      'SIM_UNKNOWN_SERIES',
      series
        ? `The run has ${series.length} months of "${column}"; the claim "${claim.id}" needs ${claim.months[1]}.`
        : `The run has no monthly series "${column}" (claim "${claim.id}").`,
      { details: { claim: claim.id, column, months: series?.length ?? 0 } },
    )
  const values = Array.from(series.subarray(claim.months[0] - 1, claim.months[1]))
  const margin = (x: number) => {
    if (claim.between) return Math.min(x - claim.between[0], claim.between[1] - x)
    if (claim.atLeast !== undefined) return x - claim.atLeast
    return claim.atMost! - x
  }
  if (claim.aggregate === 'mean') {
    const value = values.reduce((a, b) => a + b, 0) / values.length
    const m = margin(value)
    return { holds: m >= 0, margin: m, value }
  }
  const margins = values.map(margin)
  const worst = Math.min(...margins)
  return { holds: worst >= 0, margin: worst, value: values[margins.indexOf(worst)]! }
}

const series = z.array(z.custom<number>((v) => typeof v === 'number', 'expected a number'))
const pairSchema = z
  .tuple([series, series])
  .refine(([xs, ys]) => xs.length === ys.length, 'both series must have the same length')

/**
 * Spearman rank correlation; 0 when either side is constant.
 *
 * @throws {SimulatorError} `SIM_INVALID_ARGUMENT` unless given two number arrays of one length.
 */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  parseArguments(pairSchema, [xs, ys], 'spearman series')
  const rank = (v: readonly number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0])
    const ranks = new Array<number>(v.length)
    for (let i = 0; i < order.length; ) {
      let j = i
      while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++
      for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2
      i = j + 1
    }
    return ranks
  }
  const rx = rank(xs)
  const ry = rank(ys)
  const n = xs.length
  const mean = (n - 1) / 2
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mean) * (ry[i]! - mean)
    sxx += (rx[i]! - mean) ** 2
    syy += (ry[i]! - mean) ** 2
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy)
}

import type { NodeFacts, Quantiles } from '../types.js'

const meanOf = (a: number[], from: number, to: number) => {
  const xs = a.slice(from, to).filter(Number.isFinite)
  return xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : Number.NaN
}

/**
 * The per-node facts of a variant (per-node engine), per tier and `all`, from the monthly
 * quantiles across runs (medians across runs): the nodes' monthly ROI p5/p50/p95 averaged over
 * the first year and over the horizon, Gini and top-10% share of rewards in month 12 and in the
 * last month, nodes that left because of losses, the share of the starting nodes paid back and
 * their payback months (p5/p50/p95 at the horizon).
 * Undefined for a cohort run (no per-node columns).
 */
export function nodeFacts(
  months: Record<string, Quantiles>,
  tiers: readonly string[],
  horizon: number,
): Record<string, NodeFacts> | undefined {
  if (!months['gini.all']) return undefined
  const year = Math.min(12, horizon)
  const at = (c: string, m: number) => months[c]?.p50[m - 1] ?? Number.NaN
  const out: Record<string, NodeFacts> = {}
  for (const g of [...tiers, 'all']) {
    const p50 = (c: string) => months[`${c}.${g}`]!.p50
    out[g] = {
      roiYear1: {
        p5: meanOf(p50('roiP5'), 0, year),
        p50: meanOf(p50('roiP50'), 0, year),
        p95: meanOf(p50('roiP95'), 0, year),
      },
      roiHorizon: {
        p5: meanOf(p50('roiP5'), 0, horizon),
        p50: meanOf(p50('roiP50'), 0, horizon),
        p95: meanOf(p50('roiP95'), 0, horizon),
      },
      giniMonth12: at(`gini.${g}`, year),
      giniLast: at(`gini.${g}`, horizon),
      top10ShareMonth12: at(`top10Share.${g}`, year),
      top10ShareLast: at(`top10Share.${g}`, horizon),
      leftForLosses: at(`leftForLosses.${g}`, horizon),
      paidBack: at(`paidBack.${g}`, horizon),
      paybackMonths: {
        p5: at(`paybackP5.${g}`, horizon),
        p50: at(`paybackP50.${g}`, horizon),
        p95: at(`paybackP95.${g}`, horizon),
      },
    }
  }
  return out
}

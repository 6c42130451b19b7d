import type { Param, Scenario } from '../scenario/schema.js'
import { BYTES_PER_NODE } from './population.js'

/** The most a per-run parameter can be: a number, the top of `uniform`, mean + 4 sd of `normal`. */
export function upperOf(p: Param | undefined): number {
  if (p === undefined) return 0
  if (typeof p === 'number') return p
  if ('uniform' in p) return p.uniform[1]
  return p.normal[0] + 4 * p.normal[1]
}

/**
 * An upper bound on the nodes a run of this scenario can hold at once, and the memory their
 * state takes: every initial node, plus the highest join rates (exogenous and behaviour) over the
 * whole horizon with a Poisson margin, nobody leaving.
 */
export function populationBound(scenario: Pick<Scenario, 'tiers' | 'horizonMonths'>): {
  nodes: number
  bytes: number
} {
  let nodes = 64
  for (const tier of Object.values(scenario.tiers)) {
    const rate = upperOf(tier.joinsPerMonth) + (tier.behaviour?.join?.nodesPerMonth ?? 0)
    const joins = rate * scenario.horizonMonths
    nodes += tier.initialNodes + Math.ceil(joins + 6 * Math.sqrt(joins))
  }
  return { nodes, bytes: nodes * BYTES_PER_NODE }
}

import type { Scenario } from './schema.js'

/**
 * Whether a scenario runs on the per-node engine: when it says `population: nodes`, or when a
 * tier declares per-node distributions and it does not say `population: cohorts`.
 */
export function usesNodes(scenario: Pick<Scenario, 'population' | 'tiers'>): boolean {
  if (scenario.population) return scenario.population === 'nodes'
  return Object.values(scenario.tiers).some((t) => t.nodes !== undefined)
}

import { populationBound, upperOf } from '../nodes/populationBound.js'
import type { ScenarioIssue } from './invalidScenario.js'
import type { NodeDist } from './nodeSchema.js'
import type { Scenario } from './schema.js'
import { usesNodes } from './usesNodes.js'

/** Per-run memory the per-node engine may take for its node state (a worker holds one run). */
export const MAX_POPULATION_BYTES = 512 * 1024 * 1024

const low = (d: NodeDist): number =>
  typeof d === 'number'
    ? d
    : 'uniform' in d
      ? d.uniform[0]
      : 'normal' in d
        ? Math.max(0, d.normal[0] - 4 * d.normal[1])
        : d.lognormal[0] * Math.exp(-4 * d.lognormal[1])

/**
 * What the schema cannot see alone: behaviour thresholds that can never trigger within the
 * horizon, outage processes that cannot reach their availability, behaviour on the cohort
 * engine, and a population that would not fit in memory at the horizon (with the estimate).
 */
export function populationIssues(s: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = []
  if (
    s.sweep &&
    Object.keys(s.sweep.parameters).some((k) => k === 'population' || /\.nodes(\.|$)/.test(k))
  )
    issues.push({
      path: 'sweep.parameters',
      message:
        'the engine (population, per-node blocks) cannot be swept: every variant of a simulation writes the same columns',
    })
  const nodes = usesNodes(s)
  for (const [id, tier] of Object.entries(s.tiers)) {
    const at = `tiers.${id}`
    const b = tier.behaviour
    if (b && !nodes)
      issues.push({
        path: `${at}.behaviour`,
        message: 'behaviour needs the per-node engine (population: nodes)',
      })
    if (b?.exit && b.exit.lossMonths >= s.horizonMonths)
      issues.push({
        path: `${at}.behaviour.exit.lossMonths`,
        message: `never triggers: ${b.exit.lossMonths} losing months in a row cannot happen before the horizon (${s.horizonMonths} months)`,
      })
    if (b?.join && b.join.lookbackMonths >= s.horizonMonths)
      issues.push({
        path: `${at}.behaviour.join.lookbackMonths`,
        message: `never triggers: a ${b.join.lookbackMonths}-month lookback leaves no month of the horizon (${s.horizonMonths}) to join in`,
      })
    const pop = tier.nodes
    if (!pop) continue
    const minOutage = low(pop.meanOutageDays)
    if (minOutage < s.epochDays)
      issues.push({
        path: `${at}.nodes.meanOutageDays`,
        message: `an outage shorter than an epoch (${s.epochDays} days) cannot be simulated`,
      })
    const minAvailability = low(pop.availability)
    const pFail =
      (Math.min(1, s.epochDays / Math.max(minOutage, s.epochDays)) * (1 - minAvailability)) /
      minAvailability
    if (minAvailability > 0 && pFail > 1)
      issues.push({
        path: `${at}.nodes.availability`,
        message: `availability ${minAvailability} with outages of ${minOutage} days would need a node to fail more than once an epoch`,
      })
    const gpus = upperOf(pop.gpus as never) * Math.max(...pop.gpuModels.map((m) => m.unitsPerGpu))
    if (gpus > 2 ** 30)
      issues.push({
        path: `${at}.nodes.gpus`,
        message: `${gpus} compute units per node is beyond what a weight can hold`,
      })
  }
  if (nodes) {
    const bound = populationBound(s)
    if (bound.bytes > MAX_POPULATION_BYTES)
      issues.push({
        path: 'tiers',
        message: `too large for memory: up to ${bound.nodes.toLocaleString('en')} nodes by the horizon need about ${Math.ceil(bound.bytes / 2 ** 20)} MiB per run (limit ${MAX_POPULATION_BYTES / 2 ** 20} MiB)`,
      })
  }
  return issues
}

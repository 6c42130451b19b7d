import { type BurnState, initialBurnState, MONTH } from '@btt/core'
import { z } from 'zod'
import { runNodes } from '../nodes/runNodes.js'
import { parseArguments } from '../parseArguments.js'
import { createRng, type Rng } from '../random/createRng.js'
import { sampleScenario } from '../scenario/sampleScenario.js'
import { seedSchema } from '../scenario/schema.js'
import { usesNodes } from '../scenario/usesNodes.js'
import { baselineMinter } from './baselineMinter.js'
import { buildCohorts } from './buildCohorts.js'
import type { RunResult } from './columns.js'
import { finishMonths } from './finishMonths.js'
import { joinWeights } from './joinWeights.js'
import { type PreparedVariant, toTokens } from './prepareVariant.js'
import { type RunFrame, recordEpoch } from './recordEpoch.js'
import { runSeries } from './runSeries.js'
import { shareEmission } from './shareEmission.js'
import { stepBurns } from './stepBurns.js'
import { stepNetwork } from './stepNetwork.js'
import { stepPrice } from './stepPrice.js'
import { stepRevenue } from './stepRevenue.js'

const argumentsSchema = z.object({
  prepared: z.custom<PreparedVariant>(
    (p) =>
      typeof p === 'object' &&
      p !== null &&
      'variant' in p &&
      'emission' in p &&
      Number.isInteger((p as PreparedVariant).epochs),
    'a PreparedVariant from prepareVariant()',
  ),
  run: z.number().int().min(0),
  seed: seedSchema,
})

/**
 * One Monte Carlo run of a prepared scenario variant. Network, demand and price dynamics are the
 * simulator's; every split, share, emission and burn is @btt/core's. A scenario whose tiers
 * declare per-node distributions runs on the per-node engine (`runNodes`); otherwise nodes
 * are cohorts of identical nodes (tier × region), each a grouped `ContributorNode` with a `count`.
 *
 * @param prepared - the variant, from {@link prepareVariant}.
 * @param run - the run's index (kept in the result).
 * @param seed - the run's seed: the same seed gives the same result.
 * @returns every epoch's and month's series, the values sampled and the payback month by tier.
 * @throws {SimulatorError} `SIM_INVALID_ARGUMENT` for a bad argument; @btt/core's errors from a
 * run the engine refuses (e.g. a burn above the supply).
 */
export function runOnce(prepared: PreparedVariant, run: number, seed: number): RunResult {
  parseArguments(argumentsSchema, { prepared, run, seed }, 'runOnce arguments')
  if (usesNodes(prepared.variant.scenario)) return runNodes(prepared, run, seed)
  const rng = createRng(seed)
  const { scenario: s, sampled } = sampleScenario(prepared.variant.scenario, rng)
  const engine = prepared.variant.engine
  const { epochs, months, epochSeconds, tierIds } = prepared
  const perMonth = epochSeconds / MONTH
  const tiers = tierIds.map((id) => s.tiers[id]!)
  const cohorts = buildCohorts(tiers, tierIds, epochSeconds)
  const weights = joinWeights(tiers, cohorts)
  const frame: RunFrame = {
    ...runSeries(epochs, months, tierIds),
    cohorts,
    tierIds,
    investment: tiers.map((t) => t.gpusPerNode * t.hardwareCostPerGpu),
    paidRevenue: new Float64Array(cohorts.length),
    paidTokens: new Float64Array(cohorts.length),
  }
  const baseline = baselineMinter(s.baselineMinting, prepared, engine)
  let price = s.token.model === 'fixed' ? s.token.price : s.token.initialPrice
  let burns: BurnState = initialBurnState
  let shock = 1
  let nodeEpochs = 0
  for (let e = 0; e < epochs; e++) {
    const m = prepared.monthOf[e]!
    if (e === 0 || m !== prepared.monthOf[e - 1]) shock = monthShock(s.demand.noise, rng)
    const { alive, capacity } = stepNetwork(cohorts, tiers, weights, perMonth, rng)
    nodeEpochs += alive
    const at = e * epochSeconds
    const epoch = { at, seconds: epochSeconds, shock }
    const flows = stepRevenue(s.demand, epoch, cohorts, engine, frame.paidRevenue)
    const pool = prepared.emission[e]! + baseline(capacity, at + epochSeconds, epochSeconds)
    const emitted = shareEmission(cohorts, pool, engine, frame.paidTokens)
    const burned = stepBurns(burns, s.burns, perMonth, engine, rng)
    burns = burned.state
    price = stepPrice(
      price,
      s.token,
      { revenue: flows.revenue, emitted, seconds: epochSeconds },
      rng,
    )
    const circulating = prepared.circulating[e]! - toTokens(burns.burned)
    recordEpoch(frame, e, m, {
      ...flows,
      emitted,
      burned: burned.burned,
      circulating,
      price,
      alive,
    })
  }
  return {
    variant: prepared.variant.index,
    run,
    seed,
    sampled,
    epochs: frame.ep,
    months: frame.mo,
    paybackMonth: finishMonths(frame.mo, months, tierIds),
    nodeEpochs,
    monthOf: prepared.monthOf,
  }
}

/** The month's log-normal demand shock, with mean 1 (no draw without noise). */
function monthShock(noise: number, rng: Rng): number {
  return noise > 0 ? Math.exp(noise * rng.normal() - (noise * noise) / 2) : 1
}

import {
  allocate,
  circulatingSupply,
  DAY,
  type EngineConfig,
  emittedAmount,
  MONTH,
  miningEmissionSchedule,
} from '@btt/core'
import { z } from 'zod'
import { parseArguments } from '../parseArguments.js'
import type { Variant } from '../scenario/parseScenario.js'

/** What every run of a variant shares, computed once per variant (and per worker). */
export type PreparedVariant = {
  variant: Variant
  epochSeconds: number
  epochs: number
  months: number
  tierIds: string[]
  /** Mining-pool emission per simulated epoch (the schedule's part, before baseline minting). */
  emission: bigint[]
  /** Tokens that baseline minting may release in total (0 without it). */
  baselinePool: bigint
  /** Circulating supply at the end of each epoch, before burns, in tokens. */
  circulating: Float64Array
  /** Month index (0-based) of each epoch. */
  monthOf: Int32Array
}

const variantSchema = z.object({
  index: z.number().int().min(0),
  parameters: z.record(z.string(), z.unknown()),
  scenario: z.looseObject({
    horizonMonths: z.number().int().min(1),
    tiers: z.record(z.string(), z.unknown()),
  }),
  engine: z.looseObject({ token: z.looseObject({}), allocation: z.array(z.unknown()) }),
})

const WEI_PER_MICRO = 10n ** 12n
/** Token base units to a float number of tokens (exact to 10^-6 token). */
export const toTokens = (wei: bigint) => Number(wei / WEI_PER_MICRO) / 1e6

export function prepareVariant(variant: Variant): PreparedVariant {
  parseArguments(variantSchema, variant, 'variant')
  const { scenario, engine } = variant
  const epochSeconds = scenario.epochDays * DAY
  const months = scenario.horizonMonths
  const epochs = Math.ceil((months * MONTH) / epochSeconds)
  const genesis = engine.token.genesis
  const schedule = miningEmissionSchedule(engine)
  let baselinePool = 0n
  if (scenario.baselineMinting) {
    const share = BigInt(Math.round(scenario.baselineMinting.share * 1_000_000))
    ;[baselinePool] = allocate(schedule.total, [share, 1_000_000n - share]) as [bigint, bigint]
    schedule.total -= baselinePool
  }
  const emission = new Array<bigint>(epochs)
  const circulating = new Float64Array(epochs)
  const monthOf = new Int32Array(epochs)
  const attestations = milestonesOnSchedule(engine)
  let before = 0n
  for (let e = 0; e < epochs; e++) {
    const at = genesis + (e + 1) * epochSeconds
    const emitted = emittedAmount(schedule, { at })
    emission[e] = emitted - before
    before = emitted
    circulating[e] = toTokens(circulatingSupply(engine, { at, attestations }).circulating)
    monthOf[e] = Math.min(months - 1, Math.floor((e * epochSeconds) / MONTH))
  }
  return {
    variant,
    epochSeconds,
    epochs,
    months,
    tierIds: Object.keys(scenario.tiers),
    emission,
    baselinePool,
    circulating,
    monthOf,
  }
}

/** Milestone tranches attested on their earliest dates (the scenario's working assumption). */
function milestonesOnSchedule(engine: EngineConfig) {
  const out: Record<string, Record<string, number>> = {}
  for (const entry of engine.allocation)
    if (entry.release.kind === 'milestones')
      out[entry.id] = Object.fromEntries(
        entry.release.milestones.map((m) => [
          m.id,
          engine.token.genesis + m.notBeforeMonths * MONTH,
        ]),
      )
  return out
}

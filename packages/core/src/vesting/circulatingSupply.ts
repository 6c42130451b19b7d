import { z } from 'zod'
import { argument } from '../arguments.js'
import { allocationAmountsOf } from '../config/allocationAmounts.js'
import { zAmount, zSeconds } from '../config/primitives.js'
import type { EngineConfig } from '../config/schema.js'
import { useConfig } from '../config/useConfig.js'
import { MONTH } from '../constants.js'
import { emittedAmount } from '../emission/emittedAmount.js'
import { miningEmissionSchedule } from '../emission/miningEmissionSchedule.js'
import type { CoreError } from '../errors.js'
import { milestoneVestedAmount } from './milestoneVestedAmount.js'
import { overReleased } from './releasable.js'
import { linearVested } from './vestedAmount.js'

const parametersSchema = z.strictObject({
  at: zSeconds,
  /** Milestone attestation times (unix seconds) by allocation id, then milestone id. */
  attestations: z.record(z.string(), z.record(z.string(), zSeconds)).optional(),
  /** Amounts released so far from pools released at discretion or by participation, by id. */
  released: z.record(z.string(), zAmount).optional(),
  /** Tokens burned so far; they leave circulation. */
  burned: zAmount.optional(),
})

export type CirculatingSupplyParameters = z.input<typeof parametersSchema>

export type CirculatingSupplyReturnType = {
  at: number
  /** Unlocked across the table, minus burns. */
  circulating: bigint
  /** Still locked. */
  locked: bigint
  burned: bigint
  byAllocation: { id: string; label: string; amount: bigint; unlocked: bigint }[]
}

export type CirculatingSupplyErrorType = CoreError

/**
 * Circulating supply at `at` over the whole allocation table: linear schedules by
 * {@link vestedAmount}, milestone schedules by their attestations, the mining pool by its emission,
 * and participation / discretionary pools by what the caller says has been released (more
 * than the allocation is a `CORE_OVER_RELEASED` error). Burned tokens are subtracted.
 *
 * @param config - an engine config (one that skipped `parseConfig` is validated here).
 * @param parameters - `{ at, attestations?, released?, burned? }`.
 * @returns the circulating and locked amounts and each allocation's unlocked part.
 * @throws {CoreError} `CORE_OVER_RELEASED` when more is recorded as released than a pool holds;
 * `CORE_UNKNOWN_MILESTONE`, `CORE_INVALID_ARGUMENT` or `CORE_INVALID_CONFIG` for invalid arguments.
 * @example
 * ```ts
 * import { MONTH, circulatingSupply, defaultConfig } from '@btt/core'
 * circulatingSupply(defaultConfig, { at: defaultConfig.token.genesis + 12 * MONTH }).circulating
 * ```
 */
export function circulatingSupply(
  config: Pick<EngineConfig, 'token' | 'allocation' | 'emission'>,
  parameters: CirculatingSupplyParameters,
): CirculatingSupplyReturnType {
  const {
    at,
    attestations = {},
    released = {},
    burned = 0n,
  } = argument(parametersSchema, parameters, 'circulating supply parameters')
  const c = useConfig(config, ['token', 'allocation', 'emission'])
  const genesis = c.token.genesis
  let unlockedTotal = 0n
  const byAllocation = allocationAmountsOf(c).map((entry) => {
    const release = entry.release
    let unlocked: bigint
    switch (release.kind) {
      case 'linear':
        unlocked = linearVested(
          entry.amount,
          genesis + release.delayMonths * MONTH,
          release.durationMonths * MONTH,
          genesis + (release.cliffMonths ?? 0) * MONTH,
          at,
        )
        break
      case 'milestones':
        unlocked = milestoneVestedAmount(
          {
            total: entry.amount,
            start: genesis,
            tranches: release.milestones.map((m) => ({
              id: m.id,
              shareBps: m.shareBps,
              notBefore: m.notBeforeMonths * MONTH,
            })),
          },
          { at, attestations: attestations[entry.id] ?? {} },
        ).vested
        break
      case 'emission':
        unlocked = emittedAmount(miningEmissionSchedule(c), { at })
        break
      case 'participation':
      case 'discretionary': {
        unlocked = released[entry.id] ?? 0n
        if (unlocked > entry.amount) throw overReleased(unlocked, entry.amount, at)
        break
      }
    }
    unlockedTotal += unlocked
    return { id: entry.id, label: entry.label, amount: entry.amount, unlocked }
  })
  const circulating = unlockedTotal > burned ? unlockedTotal - burned : 0n
  return {
    at,
    circulating,
    locked: c.token.totalSupply - unlockedTotal,
    burned,
    byAllocation,
  }
}

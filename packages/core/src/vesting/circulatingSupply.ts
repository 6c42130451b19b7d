import { z } from 'zod'
import { allocationAmounts } from '../config/allocationAmounts.js'
import { zAmount, zSeconds } from '../config/primitives.js'
import type { EngineConfig } from '../config/schema.js'
import { MONTH } from '../constants.js'
import { emittedAmount } from '../emission/emittedAmount.js'
import { miningEmissionSchedule } from '../emission/miningEmissionSchedule.js'
import type { ValidationErrorType } from '../errors/validation.js'
import { parseWith } from '../errors/validation.js'
import type { OverReleasedErrorType } from '../errors/vesting.js'
import { OverReleasedError } from '../errors/vesting.js'
import { milestoneVestedAmount } from './milestoneVestedAmount.js'
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

export type CirculatingSupplyErrorType = ValidationErrorType | OverReleasedErrorType

/**
 * Circulating supply at `at` over the whole allocation table: linear schedules by
 * {@link vestedAmount}, milestone schedules by their attestations, the mining pool by its emission,
 * and participation / discretionary pools by what the caller says has been released (more
 * than the allocation is an {@link OverReleasedError}). Burned tokens are subtracted.
 *
 * @param config - a validated engine config.
 * @param parameters - `{ at, attestations?, released?, burned? }`.
 * @returns the circulating and locked amounts and each allocation's unlocked part.
 * @example
 * ```ts
 * import { MONTH, circulatingSupply, defaultConfig } from '@btt/core'
 * circulatingSupply(defaultConfig, { at: defaultConfig.token.genesis + 12 * MONTH }).circulating
 * ```
 */
export function circulatingSupply(
  config: EngineConfig,
  parameters: CirculatingSupplyParameters,
): CirculatingSupplyReturnType {
  const {
    at,
    attestations = {},
    released = {},
    burned = 0n,
  } = parseWith(parametersSchema, parameters, 'circulating supply parameters')
  const genesis = config.token.genesis
  let unlockedTotal = 0n
  const byAllocation = allocationAmounts(config).map((entry) => {
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
        unlocked = emittedAmount(miningEmissionSchedule(config), { at })
        break
      case 'participation':
      case 'discretionary': {
        unlocked = released[entry.id] ?? 0n
        if (unlocked > entry.amount)
          throw new OverReleasedError({ released: unlocked, vested: entry.amount, at })
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
    locked: config.token.totalSupply - unlockedTotal,
    burned,
    byAllocation,
  }
}

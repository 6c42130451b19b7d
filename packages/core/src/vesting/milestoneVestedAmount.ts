import { z } from 'zod'
import { argument } from '../arguments.js'
import { zSeconds } from '../config/primitives.js'
import { CoreError } from '../errors.js'
import { allocate } from '../math/allocate.js'
import { type MilestoneSchedule, milestoneScheduleSchema } from './schema.js'

const parametersSchema = z.strictObject({
  at: zSeconds,
  attestations: z.record(z.string(), zSeconds),
})

export type MilestoneVestedAmountParameters = {
  at: number
  /** When each milestone was attested (unix seconds), by milestone id. */
  attestations: Readonly<Record<string, number>>
}

export type MilestoneVestedAmountReturnType = {
  vested: bigint
  tranches: { id: string; amount: bigint; unlocked: boolean; unlockAt: number | null }[]
}

export type MilestoneVestedAmountErrorType = CoreError

/**
 * Amount of a milestone-gated schedule unlocked at `at`. A tranche unlocks once its milestone is
 * attested and its `notBefore` time has come (whichever is later). Tranche amounts split `total`
 * exactly (largest remainder), so all tranches together are exactly `total`.
 *
 * @param schedule - `{ total, start, tranches: [{ id, shareBps, notBefore }] }`.
 * @param parameters - `{ at, attestations }`: attestation time by milestone id.
 * @returns the vested amount and each tranche's state.
 * @throws {CoreError} `CORE_UNKNOWN_MILESTONE` when an attestation names no tranche;
 * `CORE_INVALID_ARGUMENT` for an invalid schedule, time or attestation (NaN, strings, negatives).
 * @example
 * ```ts
 * import { milestoneVestedAmount } from '@btt/core'
 * const schedule = { total: 100n, start: 0, tranches: [
 *   { id: 'a', shareBps: 5000, notBefore: 10 }, { id: 'b', shareBps: 5000, notBefore: 20 } ] }
 * milestoneVestedAmount(schedule, { at: 15, attestations: { a: 12 } }).vested // 50n
 * ```
 */
export function milestoneVestedAmount(
  schedule: MilestoneSchedule,
  parameters: MilestoneVestedAmountParameters,
): MilestoneVestedAmountReturnType {
  const { total, start, tranches } = argument(
    milestoneScheduleSchema,
    schedule,
    'milestone schedule',
  )
  const { at, attestations } = argument(
    parametersSchema,
    parameters,
    'milestone vesting parameters',
  )
  const ids = tranches.map((t) => t.id)
  for (const id of Object.keys(attestations))
    if (!ids.includes(id))
      throw new CoreError('CORE_UNKNOWN_MILESTONE', `Unknown milestone "${id}".`, {
        details: { milestone: id, known: ids },
        metaMessages: [`Known milestones: ${ids.join(', ')}`],
      })
  const amounts = allocate(
    total,
    tranches.map((t) => BigInt(t.shareBps)),
  )
  let vested = 0n
  const out = tranches.map((tranche, i) => {
    const attestedAt = attestations[tranche.id]
    const unlockAt =
      attestedAt === undefined ? null : Math.max(attestedAt, start + tranche.notBefore)
    const unlocked = unlockAt !== null && at >= unlockAt
    const amount = amounts[i]!
    if (unlocked) vested += amount
    return { id: tranche.id, amount, unlocked, unlockAt }
  })
  return { vested, tranches: out }
}

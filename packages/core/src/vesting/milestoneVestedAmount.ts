import { z } from 'zod'
import { zAmount, zBps, zId, zSeconds } from '../config/primitives.js'
import type { ValidationErrorType } from '../errors/validation.js'
import { parseWith } from '../errors/validation.js'
import type { UnknownMilestoneErrorType } from '../errors/vesting.js'
import { UnknownMilestoneError } from '../errors/vesting.js'
import { allocate } from '../math/allocate.js'

export const milestoneScheduleSchema = z
  .strictObject({
    total: zAmount,
    start: zSeconds,
    tranches: z
      .array(
        z.strictObject({
          id: zId,
          shareBps: zBps,
          /** Seconds after `start` before the tranche can unlock, attested or not. */
          notBefore: zSeconds,
        }),
      )
      .min(1),
  })
  .refine((s) => s.tranches.reduce((sum, t) => sum + t.shareBps, 0) === 10_000, {
    message: 'tranche shares must sum to 10000 bps',
    path: ['tranches'],
  })
  .refine((s) => new Set(s.tranches.map((t) => t.id)).size === s.tranches.length, {
    message: 'tranche ids must be unique',
    path: ['tranches'],
  })

export type MilestoneSchedule = z.input<typeof milestoneScheduleSchema>

export type MilestoneVestedAmountParameters = {
  at: number
  /** When each milestone was attested (unix seconds), by milestone id. */
  attestations: Readonly<Record<string, number>>
}

export type MilestoneVestedAmountReturnType = {
  vested: bigint
  tranches: { id: string; amount: bigint; unlocked: boolean; unlockAt: number | null }[]
}

export type MilestoneVestedAmountErrorType = ValidationErrorType | UnknownMilestoneErrorType

/**
 * Amount of a milestone-gated schedule unlocked at `at`. A tranche unlocks once its milestone is
 * attested and its `notBefore` time has come (whichever is later). Tranche amounts split `total`
 * exactly (largest remainder), so all tranches together are exactly `total`.
 *
 * @param schedule - `{ total, start, tranches: [{ id, shareBps, notBefore }] }`.
 * @param parameters - `{ at, attestations }`: attestation time by milestone id.
 * @returns the vested amount and each tranche's state.
 * @throws {UnknownMilestoneError} when an attestation names no tranche.
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
  const { total, start, tranches } = parseWith(
    milestoneScheduleSchema,
    schedule,
    'milestone schedule',
  )
  const ids = tranches.map((t) => t.id)
  for (const id of Object.keys(parameters.attestations))
    if (!ids.includes(id)) throw new UnknownMilestoneError(id, ids)
  const amounts = allocate(
    total,
    tranches.map((t) => BigInt(t.shareBps)),
  )
  let vested = 0n
  const out = tranches.map((tranche, i) => {
    const attestedAt = parameters.attestations[tranche.id]
    const unlockAt =
      attestedAt === undefined ? null : Math.max(attestedAt, start + tranche.notBefore)
    const unlocked = unlockAt !== null && parameters.at >= unlockAt
    const amount = amounts[i]!
    if (unlocked) vested += amount
    return { id: tranche.id, amount, unlocked, unlockAt }
  })
  return { vested, tranches: out }
}

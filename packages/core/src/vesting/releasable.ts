import { z } from 'zod'
import { argument, zUnits } from '../arguments.js'
import { zSeconds } from '../config/primitives.js'
import { CoreError } from '../errors.js'
import type { VestingScheduleInput } from './schema.js'
import { vestedAmount } from './vestedAmount.js'

export type ReleasableParameters = { at: number; released: bigint }
export type ReleasableReturnType = bigint
export type ReleasableErrorType = CoreError

const parametersSchema = z.strictObject({ at: zSeconds, released: zUnits })

/**
 * What can be released now: vested at `at` minus what was already released.
 *
 * @param schedule - the vesting schedule.
 * @param parameters - `{ at, released }`.
 * @returns the releasable amount, never negative.
 * @throws {CoreError} `CORE_OVER_RELEASED` when `released` exceeds the vested amount (the records
 * are wrong); `CORE_INVALID_ARGUMENT` for an invalid schedule, time or amount.
 * @example
 * ```ts
 * import { releasable } from '@btt/core'
 * releasable({ total: 100n, start: 0, duration: 100 }, { at: 50, released: 20n }) // 30n
 * ```
 */
export function releasable(
  schedule: VestingScheduleInput,
  parameters: ReleasableParameters,
): ReleasableReturnType {
  const { at, released } = argument(parametersSchema, parameters, 'release parameters')
  const vested = vestedAmount(schedule, { at })
  if (released > vested) throw overReleased(released, vested, at)
  return vested - released
}

/** `CORE_OVER_RELEASED`: more has been released than has vested (or than was allocated). */
export function overReleased(released: bigint, vested: bigint, at: number): CoreError {
  return new CoreError(
    'CORE_OVER_RELEASED',
    `Released amount ${released} exceeds the ${vested} vested at ${at}.`,
    {
      details: { released: released.toString(), vested: vested.toString(), at },
      metaMessages: ['Check the release records: more has been paid out than the schedule allows.'],
    },
  )
}

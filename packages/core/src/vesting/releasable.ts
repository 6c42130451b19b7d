import { zAmount } from '../config/primitives.js'
import type { ValidationErrorType } from '../errors/validation.js'
import { parseWith } from '../errors/validation.js'
import type { OverReleasedErrorType } from '../errors/vesting.js'
import { OverReleasedError } from '../errors/vesting.js'
import type { VestingScheduleInput } from './schema.js'
import { vestedAmount } from './vestedAmount.js'

export type ReleasableParameters = { at: number; released: bigint }
export type ReleasableReturnType = bigint
export type ReleasableErrorType = ValidationErrorType | OverReleasedErrorType

/**
 * What can be released now: vested at `at` minus what was already released.
 *
 * @param schedule - the vesting schedule.
 * @param parameters - `{ at, released }`.
 * @returns the releasable amount, never negative.
 * @throws {OverReleasedError} when `released` exceeds the vested amount (the records are wrong).
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
  const released = parseWith(zAmount, parameters.released, 'released amount')
  const vested = vestedAmount(schedule, { at: parameters.at })
  if (released > vested) throw new OverReleasedError({ released, vested, at: parameters.at })
  return vested - released
}

import { z } from 'zod'
import { argument } from '../arguments.js'
import type { CoreError } from '../errors.js'
import { atSchema } from '../vesting/schema.js'
import { emissionTable } from './epochEmissions.js'
import type { EmissionScheduleInput } from './schema.js'

export type EmittedAmountParameters = { at: number }
export type EmittedAmountReturnType = bigint
export type EmittedAmountErrorType = CoreError

/**
 * Total emitted by time `at`. An epoch's emission is minted when the epoch closes, so this is the
 * sum of the epochs that ended at or before `at`: 0 before the first epoch ends, the whole pool
 * from the end of the schedule on, and nothing more after it.
 *
 * @param schedule - the emission schedule.
 * @param parameters - `{ at }`, unix seconds.
 * @returns the emitted amount in base units.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` for an invalid schedule or time.
 * @example
 * ```ts
 * import { DAY, YEAR, emittedAmount } from '@btt/core'
 * const schedule = { total: 100n, start: 0, duration: 8 * YEAR, epochLength: DAY, curve: 'linear' } as const
 * emittedAmount(schedule, { at: 8 * YEAR }) // 100n
 * ```
 */
export function emittedAmount(
  schedule: EmissionScheduleInput,
  parameters: EmittedAmountParameters,
): EmittedAmountReturnType {
  const { at } = argument(atSchema, parameters, 'emission time')
  const table = emissionTable(schedule)
  const { start, duration, epochLength } = table.schedule
  const epochs = table.amounts.length
  if (at < start) return 0n
  if (at >= start + duration) return table.cumulative[epochs]!
  const closed = Math.min(epochs, Math.floor((at - start) / epochLength))
  return table.cumulative[closed]!
}

const epochSchema = z.strictObject({ epoch: z.number().int().min(0) })

export type EpochEmissionParameters = { epoch: number }

/**
 * Amount emitted in epoch `epoch` (0-based); 0 for an epoch past the end of the schedule.
 *
 * @param schedule - the emission schedule.
 * @param parameters - `{ epoch }`, a non-negative integer.
 * @returns the epoch's amount in base units.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` for an invalid schedule or epoch.
 *
 * @example
 * ```ts
 * import { DAY, epochEmission } from '@btt/core'
 * epochEmission({ total: 10n, start: 0, duration: 5 * DAY, epochLength: DAY, curve: 'linear' }, { epoch: 0 }) // 2n
 * ```
 */
export function epochEmission(
  schedule: EmissionScheduleInput,
  parameters: EpochEmissionParameters,
): bigint {
  const { epoch } = argument(epochSchema, parameters, 'emission epoch')
  return emissionTable(schedule).amounts[epoch] ?? 0n
}

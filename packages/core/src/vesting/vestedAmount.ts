import { argument } from '../arguments.js'
import type { CoreError } from '../errors.js'
import { atSchema, type VestingScheduleInput, vestingScheduleSchema } from './schema.js'

export type VestedAmountParameters = { at: number }
export type VestedAmountReturnType = bigint
export type VestedAmountErrorType = CoreError

/**
 * Amount of a linear vesting schedule vested at time `at`, rounded down.
 *
 * - `delay`: nothing vests before `start + delay`; then linear over `duration`, fully vested at
 *   `start + delay + duration` (the business model's "延遲").
 * - `cliff`: nothing vests before `start + cliff`; from then on the amount follows the linear
 *   curve measured from the curve's start, so it jumps at the cliff, as OpenZeppelin's
 *   `VestingWalletCliff` does.
 * - Linear amounts are `total * elapsed / duration` in integers, as OpenZeppelin's `VestingWallet`.
 *
 * @param schedule - `{ total, start, duration, delay?, cliff? }`, times in unix seconds.
 * @param parameters - `{ at }`: the time to evaluate, unix seconds.
 * @returns the vested amount in base units, between 0 and `total`.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` when the schedule or time is invalid.
 * @example
 * ```ts
 * import { MONTH, vestedAmount } from '@btt/core'
 * // 36 months linear after a 6-month delay: half vested 24 months in.
 * vestedAmount({ total: 1000n, start: 0, delay: 6 * MONTH, duration: 36 * MONTH }, { at: 24 * MONTH }) // 500n
 * ```
 */
export function vestedAmount(
  schedule: VestingScheduleInput,
  parameters: VestedAmountParameters,
): VestedAmountReturnType {
  const {
    total,
    start,
    duration,
    delay = 0,
    cliff = 0,
  } = argument(vestingScheduleSchema, schedule, 'vesting schedule')
  const { at } = argument(atSchema, parameters, 'vesting time')
  return linearVested(total, start + delay, duration, start + cliff, at)
}

/** The unchecked core of {@link vestedAmount}, for callers that validated already. */
export function linearVested(
  total: bigint,
  curveStart: number,
  duration: number,
  cliffEnd: number,
  at: number,
): bigint {
  if (at < curveStart || at < cliffEnd) return 0n
  if (at >= curveStart + duration) return total
  return (total * BigInt(at - curveStart)) / BigInt(duration)
}

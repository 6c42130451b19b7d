import { argument } from '../arguments.js'
import type { CoreError } from '../errors.js'
import { allocate } from '../math/allocate.js'
import { exp2Neg, FIXED_SCALE } from '../math/exp2.js'
import {
  type EmissionSchedule,
  type EmissionScheduleInput,
  emissionScheduleSchema,
} from './schema.js'

export type EpochEmissionsReturnType = readonly bigint[]
export type EpochEmissionsErrorType = CoreError

type Table = {
  schedule: EmissionSchedule
  amounts: readonly bigint[]
  cumulative: readonly bigint[]
}
const cache = new Map<string, Table>()
const CACHE_SIZE = 32

/**
 * The amount emitted in each epoch of a schedule.
 *
 * Each epoch gets a weight from the curve, computed in integers: `halving` — the rate halves every
 * `halvingPeriod` (an epoch that straddles a halving is weighted by the seconds on each side);
 * `decay` — the rate falls by `2^(-epochLength/halfLife)` per epoch (Filecoin's simple-minting
 * shape); `linear` — a constant rate. A shorter last epoch is weighted by its length. The pool is
 * then split by these weights with {@link allocate}: the epochs sum to exactly `total`, each is
 * within one base unit of its exact share, and the rounding dust (fewer units than epochs) goes to
 * the epochs with the largest remainders, earliest first — which keeps a halving or decay curve
 * non-increasing. Results are cached per schedule.
 *
 * @param schedule - the emission schedule.
 * @returns one amount per epoch, `ceil(duration / epochLength)` of them.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` for an invalid schedule.
 * @example
 * ```ts
 * import { DAY, YEAR, epochEmissions } from '@btt/core'
 * const epochs = epochEmissions({ total: 1_000_000n, start: 0, duration: 8 * YEAR, epochLength: DAY,
 *   curve: 'halving', halvingPeriod: 2 * YEAR })
 * epochs.length // 2922
 * ```
 */
export function epochEmissions(schedule: EmissionScheduleInput): EpochEmissionsReturnType {
  return emissionTable(schedule).amounts
}

/** Amounts and prefix sums (`cumulative[i]` = emitted by the end of epoch `i - 1`), cached. */
export function emissionTable(input: EmissionScheduleInput): Table {
  const schedule = argument(emissionScheduleSchema, input, 'emission schedule')
  const key = [
    schedule.total,
    schedule.start,
    schedule.duration,
    schedule.epochLength,
    schedule.curve,
    schedule.halvingPeriod,
    schedule.halfLife,
  ].join(':')
  const hit = cache.get(key)
  if (hit) return hit
  const amounts = allocate(schedule.total, epochWeights(schedule))
  const cumulative = new Array<bigint>(amounts.length + 1)
  cumulative[0] = 0n
  for (let i = 0; i < amounts.length; i++) cumulative[i + 1] = cumulative[i]! + amounts[i]!
  const table = {
    schedule: Object.freeze(schedule),
    amounts: Object.freeze(amounts),
    cumulative: Object.freeze(cumulative),
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!)
  cache.set(key, table)
  return table
}

function epochWeights(schedule: EmissionSchedule): bigint[] {
  const { duration, epochLength: length } = schedule
  const count = Math.ceil(duration / length)
  const weights = new Array<bigint>(count)
  const secondsOf = (i: number) => Math.min(length, duration - i * length)

  if (schedule.curve === 'linear') {
    for (let i = 0; i < count; i++) weights[i] = BigInt(secondsOf(i))
    return weights
  }
  if (schedule.curve === 'halving') {
    const period = schedule.halvingPeriod!
    const eras = Math.ceil(duration / period)
    for (let i = 0; i < count; i++) {
      const from = i * length
      const to = from + secondsOf(i)
      let weight = 0n
      for (let era = Math.floor(from / period); era * period < to; era++) {
        const overlap = Math.min(to, (era + 1) * period) - Math.max(from, era * period)
        weight += BigInt(overlap) << BigInt(eras - 1 - era)
      }
      weights[i] = weight
    }
    return weights
  }
  // decay: rate_i = 2^(-i * length / halfLife), constant within an epoch.
  const factor = exp2Neg(BigInt(length), BigInt(schedule.halfLife!))
  let rate = FIXED_SCALE
  for (let i = 0; i < count; i++) {
    weights[i] = (rate * BigInt(secondsOf(i))) / BigInt(length)
    rate = (rate * factor) / FIXED_SCALE
  }
  return weights
}

import { allocationAmounts } from '../config/allocationAmounts.js'
import type { EngineConfig } from '../config/schema.js'
import type { EmissionSchedule } from './schema.js'

/**
 * The mining pool's emission schedule from an engine config: the `emission` allocation entry's
 * amount (30% of supply, 6.3M tokens by default) from genesis, with the config's curve.
 *
 * @param config - a validated engine config.
 * @returns an emission schedule for {@link emittedAmount} and {@link epochEmissions}.
 * @example
 * ```ts
 * import { defaultConfig, emittedAmount, miningEmissionSchedule } from '@btt/core'
 * const schedule = miningEmissionSchedule(defaultConfig)
 * emittedAmount(schedule, { at: schedule.start + schedule.duration }) === schedule.total // true
 * ```
 */
export function miningEmissionSchedule(config: EngineConfig): EmissionSchedule {
  const pool = allocationAmounts(config).find((entry) => entry.release.kind === 'emission')!
  return {
    total: pool.amount,
    start: config.token.genesis,
    duration: config.emission.duration,
    epochLength: config.emission.epochLength,
    curve: config.emission.curve,
    halvingPeriod: config.emission.halvingPeriod,
    halfLife: config.emission.halfLife,
  }
}

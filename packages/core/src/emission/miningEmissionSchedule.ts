import { allocationAmountsOf } from '../config/allocationAmounts.js'
import type { EngineConfig } from '../config/schema.js'
import { useConfig } from '../config/useConfig.js'
import type { EmissionSchedule } from './schema.js'

/**
 * The mining pool's emission schedule from an engine config: the `emission` allocation entry's
 * amount (30% of supply, 6.3M tokens by default) from genesis, with the config's curve.
 *
 * @param config - an engine config (one that skipped `parseConfig` is validated here).
 * @returns an emission schedule for {@link emittedAmount} and {@link epochEmissions}.
 * @throws {CoreError} `CORE_INVALID_CONFIG` for an invalid config.
 * @example
 * ```ts
 * import { defaultConfig, emittedAmount, miningEmissionSchedule } from '@btt/core'
 * const schedule = miningEmissionSchedule(defaultConfig)
 * emittedAmount(schedule, { at: schedule.start + schedule.duration }) === schedule.total // true
 * ```
 */
export function miningEmissionSchedule(
  config: Pick<EngineConfig, 'allocation' | 'token' | 'emission'>,
): EmissionSchedule {
  const c = useConfig(config, ['allocation', 'token', 'emission'])
  const pool = allocationAmountsOf(c).find((entry) => entry.release.kind === 'emission')!
  return {
    total: pool.amount,
    start: c.token.genesis,
    duration: c.emission.duration,
    epochLength: c.emission.epochLength,
    curve: c.emission.curve,
    halvingPeriod: c.emission.halvingPeriod,
    halfLife: c.emission.halfLife,
  }
}

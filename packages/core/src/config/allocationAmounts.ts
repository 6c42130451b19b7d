import { allocate } from '../math/allocate.js'
import type { AllocationEntry, EngineConfig } from './schema.js'
import { useConfig } from './useConfig.js'

export type AllocationAmount = AllocationEntry & { amount: bigint }

/**
 * Each allocation entry with its amount of the total supply. Amounts are split exactly by the
 * entries' basis points, so they sum to exactly `token.totalSupply`.
 *
 * @param config - an engine config (one that skipped `parseConfig` is validated here).
 * @returns the entries in config order, each with `amount`.
 * @throws {CoreError} `CORE_INVALID_CONFIG` for an invalid config.
 * @example
 * ```ts
 * import { allocationAmounts, defaultConfig } from '@btt/core'
 * allocationAmounts(defaultConfig).find((e) => e.id === 'mining-pool')?.amount // 6_300_000n * 10n ** 18n
 * ```
 */
export function allocationAmounts(
  config: Pick<EngineConfig, 'allocation' | 'token'>,
): AllocationAmount[] {
  const c = useConfig(config, ['allocation', 'token'])
  return allocationAmountsOf(c)
}

/** {@link allocationAmounts} of a config already validated. */
export function allocationAmountsOf(
  config: Pick<EngineConfig, 'allocation' | 'token'>,
): AllocationAmount[] {
  const amounts = allocate(
    config.token.totalSupply,
    config.allocation.map((entry) => BigInt(entry.shareBps)),
  )
  return config.allocation.map((entry, i) => ({ ...entry, amount: amounts[i]! }))
}

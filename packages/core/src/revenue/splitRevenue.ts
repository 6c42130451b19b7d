import { defaultConfig } from '../config/parseConfig.js'
import type { EngineConfig } from '../config/schema.js'
import { useConfig } from '../config/useConfig.js'
import type { AllocateErrorType } from '../math/allocate.js'
import { allocate } from '../math/allocate.js'

export type SplitRevenueReturnType = {
  /** 70%: paid to compute contributors, pro rata to resource supplied. */
  contributors: bigint
  /** 15%: development fund. */
  devFund: bigint
  /** 10%: foundation. */
  foundation: bigint
  /** 5%: reserve. */
  reserve: bigint
}

export type SplitRevenueErrorType = AllocateErrorType

/**
 * Splits compute-market revenue 70/15/10/5 (contributors / development fund / foundation /
 * reserve, from `config.revenueSplit`), exactly: the four parts sum to `amount`, each within
 * one base unit of its exact share (largest remainder, ties in that order).
 *
 * @param amount - revenue in base units (token wei or currency minor units).
 * @param config - engine config; the model's defaults when omitted.
 * @returns the four parts.
 * @throws {CoreError} `CORE_INVALID_CONFIG` when a config that skipped `parseConfig` is invalid
 * (for example shares that do not sum to 100%); `CORE_INVALID_ARGUMENT` / `CORE_NEGATIVE_AMOUNT`
 * for an amount that is not a non-negative bigint.
 * @example
 * ```ts
 * import { splitRevenue } from '@btt/core'
 * splitRevenue(100n) // { contributors: 70n, devFund: 15n, foundation: 10n, reserve: 5n }
 * ```
 */
export function splitRevenue(
  amount: bigint,
  config: Pick<EngineConfig, 'revenueSplit'> = defaultConfig,
): SplitRevenueReturnType {
  const s = useConfig(config, ['revenueSplit']).revenueSplit
  const [contributors, devFund, foundation, reserve] = allocate(amount, [
    BigInt(s.contributorsBps),
    BigInt(s.devFundBps),
    BigInt(s.foundationBps),
    BigInt(s.reserveBps),
  ]) as [bigint, bigint, bigint, bigint]
  return { contributors, devFund, foundation, reserve }
}

/**
 * Shares the contributors' part of revenue pro rata to the resource each supplied (for example
 * GPU-seconds), exactly: see {@link allocate}.
 *
 * @param amount - the contributors' part, from {@link splitRevenue}.
 * @param supplied - resource supplied by each contributor, in any integer unit.
 * @returns each contributor's share, in the same order.
 * @throws {CoreError} `CORE_INVALID_WEIGHTS` when `supplied` is empty, negative or all zero;
 * `CORE_NEGATIVE_AMOUNT` / `CORE_INVALID_ARGUMENT` for a bad amount or a non-bigint entry.
 * @example
 * ```ts
 * import { shareContributorRevenue } from '@btt/core'
 * shareContributorRevenue(70n, [3600n, 1800n, 1800n]) // [35n, 18n, 17n]
 * ```
 */
export function shareContributorRevenue(amount: bigint, supplied: readonly bigint[]): bigint[] {
  return allocate(amount, supplied)
}

import { z } from 'zod'
import { argument } from '../arguments.js'
import { defaultConfig } from '../config/parseConfig.js'
import { zAmount, zMonths, zSeconds } from '../config/primitives.js'
import type { EngineConfig, StakingTier } from '../config/schema.js'
import { useConfig } from '../config/useConfig.js'
import { MONTH, PPM } from '../constants.js'
import type { CoreError } from '../errors.js'
import { atSchema } from '../vesting/schema.js'

export const stakePositionSchema = z.strictObject({
  /** Tokens staked, in base units. */
  amount: zAmount,
  /** When the lock started, unix seconds. */
  lockedAt: zSeconds,
  /** Length of the lock the staker committed to, in months. */
  lockMonths: zMonths,
})

export type StakePosition = z.input<typeof stakePositionSchema>

export type StakingBenefitsReturnType = {
  tier: StakingTier
  /** Voting weight: amount times the tier's governance multiplier, rounded down. */
  governanceWeight: bigint
  feeDiscountBps: number
  priority: StakingTier['priority']
  /** When the lock ends; after it the position falls back to the first tier. */
  unlocksAt: number
  locked: boolean
}

export type StakingBenefitsErrorType = CoreError

/**
 * What a staking position earns at time `at`: the highest tier whose lock length and minimum
 * stake it meets, while its lock lasts. Longer locks and bigger stakes never earn less.
 *
 * @param position - `{ amount, lockedAt, lockMonths }`.
 * @param parameters - `{ at }`, unix seconds.
 * @param config - engine config; the model's defaults when omitted.
 * @returns the tier, voting weight, fee discount and priority.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` / `CORE_INVALID_CONFIG` for invalid arguments.
 * @example
 * ```ts
 * import { ONE_TOKEN, stakingBenefits } from '@btt/core'
 * stakingBenefits({ amount: 20_000n * ONE_TOKEN, lockedAt: 0, lockMonths: 12 }, { at: 0 }).tier.id // 'silver'
 * ```
 */
export function stakingBenefits(
  position: StakePosition,
  parameters: { at: number },
  config: Pick<EngineConfig, 'staking'> = defaultConfig,
): StakingBenefitsReturnType {
  const { amount, lockedAt, lockMonths } = argument(stakePositionSchema, position, 'stake position')
  const { at } = argument(atSchema, parameters, 'staking time')
  const tiers = useConfig(config, ['staking']).staking.tiers
  const unlocksAt = lockedAt + lockMonths * MONTH
  const locked = at >= lockedAt && at < unlocksAt
  let tier = tiers[0]!
  if (locked)
    for (const candidate of tiers)
      if (lockMonths >= candidate.minLockMonths && amount >= candidate.minAmount) tier = candidate
  return {
    tier,
    governanceWeight: (amount * BigInt(tier.governanceMultiplierPpm)) / PPM,
    feeDiscountBps: tier.feeDiscountBps,
    priority: tier.priority,
    unlocksAt,
    locked,
  }
}

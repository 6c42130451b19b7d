import { allocate, allocationAmounts, defaultConfig, type EngineConfig, MONTH } from '@btt/core'

/** How one allocation entry is held on chain. */
export type AllocationHolding =
  | {
      id: string
      amount: bigint
      holder: 'vesting-wallet'
      beneficiary: string
      /** The wallet's start: genesis + delay (unix seconds). */
      start: number
      duration: number
      /** Seconds after `start` before anything vests (core's cliff minus its delay, at least 0). */
      cliff: number
    }
  | {
      id: string
      amount: bigint
      holder: 'milestone-vault'
      beneficiary: string
      attester: string
      tranches: { id: string; amount: bigint; notBefore: number }[]
    }
  | { id: string; amount: bigint; holder: 'address'; address: string }

export type AllocationPlanParameters = {
  /** Engine config (default: @btt/core's `defaultConfig`). */
  config?: Pick<EngineConfig, 'allocation' | 'token'>
  /** Who receives each entry (by allocation id); entries not named go to `fallback`. */
  beneficiaries?: Readonly<Record<string, string>>
  /** Address for entries without a beneficiary (e.g. the deployer's treasury). */
  fallback: string
  /** Who attests milestones (e.g. the governance multisig); default `fallback`. */
  attester?: string
}

/**
 * Turns @btt/core's allocation table into what the chain holds at genesis: a vesting wallet per
 * linear entry, a milestone vault per milestone entry, a plain address for emission, participation
 * and discretionary entries. Amounts are core's, to the unit, and sum to the fixed supply.
 */
export function allocationPlan(parameters: AllocationPlanParameters): AllocationHolding[] {
  const config = parameters.config ?? defaultConfig
  const genesis = config.token.genesis
  const to = (id: string) => parameters.beneficiaries?.[id] ?? parameters.fallback
  return allocationAmounts(config).map((entry): AllocationHolding => {
    const release = entry.release
    if (release.kind === 'linear') {
      const delay = release.delayMonths * MONTH
      const cliff = (release.cliffMonths ?? 0) * MONTH
      return {
        id: entry.id,
        amount: entry.amount,
        holder: 'vesting-wallet',
        beneficiary: to(entry.id),
        start: genesis + delay,
        duration: release.durationMonths * MONTH,
        cliff: Math.max(0, cliff - delay),
      }
    }
    if (release.kind === 'milestones') {
      // the same exact split as core's milestoneVestedAmount (largest remainder by share)
      const amounts = allocate(
        entry.amount,
        release.milestones.map((m) => BigInt(m.shareBps)),
      )
      return {
        id: entry.id,
        amount: entry.amount,
        holder: 'milestone-vault',
        beneficiary: to(entry.id),
        attester: parameters.attester ?? parameters.fallback,
        tranches: release.milestones.map((m, i) => ({
          id: m.id,
          amount: amounts[i]!,
          notBefore: genesis + m.notBeforeMonths * MONTH,
        })),
      }
    }
    return { id: entry.id, amount: entry.amount, holder: 'address', address: to(entry.id) }
  })
}

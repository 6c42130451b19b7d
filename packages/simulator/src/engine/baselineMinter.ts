import { type EngineConfig, YEAR } from '@btt/core'
import type { SampledScenario } from '../scenario/sampleScenario.js'
import { type PreparedVariant, toTokens } from './prepareVariant.js'

/** Tokens (base units) baseline minting adds to an epoch's pool, given the capacity supplied. */
export type BaselineMinter = (capacity: number, epochEnd: number, epochSeconds: number) => bigint

/**
 * Filecoin-style baseline minting: the baseline's share of the pool is released as the network's
 * rewarded capacity (capacity up to a baseline growing exponentially) accumulates, on the
 * emission's half-life. Stateful: call it once per epoch, in order. Without `baselineMinting`
 * it adds nothing.
 */
export function baselineMinter(
  baseline: SampledScenario['baselineMinting'],
  prepared: Pick<PreparedVariant, 'baselinePool'>,
  engine: Pick<EngineConfig, 'emission'>,
): BaselineMinter {
  if (!baseline) return () => 0n
  const pool = toTokens(prepared.baselinePool)
  const lambda = Math.LN2 / engine.emission.halfLife
  const growth = Math.log(1 + baseline.annualGrowth) / YEAR
  let rewardedCapacity = 0 // compute-unit-seconds under the baseline
  let minted = 0
  return (capacity, epochEnd, epochSeconds) => {
    const target = baseline.initialBaseline * Math.exp(growth * epochEnd)
    rewardedCapacity += Math.min(capacity, target) * epochSeconds
    // effective network time: how long the baseline would take to accumulate this capacity
    const theta =
      growth > 0
        ? Math.log(1 + (growth * rewardedCapacity) / baseline.initialBaseline) / growth
        : rewardedCapacity / baseline.initialBaseline
    const total = pool * (1 - Math.exp(-lambda * theta))
    const added = BigInt(Math.floor((total - minted) * 1e6)) * 10n ** 12n
    minted = total
    return added
  }
}

import { CoreError, dividendShares, type EngineConfig } from '@btt/core'
import type { Cohort } from './buildCohorts.js'
import { toTokens } from './prepareVariant.js'

/**
 * Splits an epoch's reward pool between the cohorts with nodes by @btt/core's dividend formula,
 * writing each cohort's tokens into `paidTokens`. When no node earns a positive score the pool
 * is not paid out (nothing is emitted).
 *
 * @returns the tokens emitted this epoch.
 */
export function shareEmission(
  cohorts: readonly Cohort[],
  pool: bigint,
  engine: EngineConfig,
  paidTokens: Float64Array,
): number {
  paidTokens.fill(0)
  const active = cohorts.filter((c) => c.node.count > 0)
  if (pool <= 0n || !active.length) return 0
  let shares: ReturnType<typeof dividendShares>['shares']
  try {
    shares = dividendShares(
      active.map((c) => c.node),
      pool,
      engine,
    ).shares
  } catch (error) {
    if (error instanceof CoreError && error.code === 'CORE_NO_ELIGIBLE_NODES') return 0
    throw error
  }
  let k = 0
  for (let i = 0; i < cohorts.length; i++)
    if (cohorts[i]!.node.count > 0) paidTokens[i] = toTokens(shares[k++]!.amount)
  return toTokens(pool)
}

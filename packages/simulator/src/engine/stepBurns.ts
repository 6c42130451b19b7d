import { type BurnState, type EngineConfig, ONE_TOKEN, recordBurn } from '@btt/core'
import type { Rng } from '../random/createRng.js'
import type { SampledScenario } from '../scenario/sampleScenario.js'
import { toTokens } from './prepareVariant.js'

/**
 * One epoch of burns: a Poisson number of high-value tokenization transactions, each burned by
 * @btt/core's `recordBurn` (which refuses a burn above the supply).
 *
 * @returns the new burn state and the tokens burned this epoch.
 */
export function stepBurns(
  state: BurnState,
  burns: SampledScenario['burns'],
  perMonth: number,
  engine: EngineConfig,
  rng: Rng,
): { state: BurnState; burned: number } {
  const txs = rng.poisson(burns.tokenizationTxPerMonth * perMonth)
  const txValue = BigInt(Math.round(burns.txValueTokens * 1e6)) * (ONE_TOKEN / 1_000_000n)
  let next = state
  for (let i = 0; i < txs; i++) next = recordBurn(next, { value: txValue }, engine).state
  return { state: next, burned: toTokens(next.burned - state.burned) }
}

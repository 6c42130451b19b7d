import { z } from 'zod'
import { argument, zUnits } from '../arguments.js'
import { defaultConfig } from '../config/parseConfig.js'
import { zAmount } from '../config/primitives.js'
import type { EngineConfig } from '../config/schema.js'
import { useConfig } from '../config/useConfig.js'
import { BPS } from '../constants.js'
import { CoreError } from '../errors.js'

export const burnStateSchema = z.strictObject({
  /** Tokens burned so far, base units. */
  burned: zAmount,
  /** Burning transactions recorded so far. */
  count: z.number().int().min(0),
})

const transactionSchema = z.object({ value: zUnits })

export type BurnState = z.output<typeof burnStateSchema>

export type RecordBurnReturnType = {
  /** Burned by this transaction (0 below the threshold). */
  burn: bigint
  state: BurnState
}

export type RecordBurnErrorType = CoreError

/** The empty burn record. */
export const initialBurnState: BurnState = Object.freeze({ burned: 0n, count: 0 })

/**
 * Burns on a high-value tokenization transaction: at or above `burns.thresholdValue`,
 * `burns.rateBps` of the value (rounded down) is burned. Returns the new burn record; the input
 * record is not changed.
 *
 * @param state - the burn record so far.
 * @param transaction - `{ value }` in token base units.
 * @param config - engine config; the model's defaults when omitted.
 * @returns this burn and the new record.
 * @throws {CoreError} `CORE_BURN_EXCEEDS_SUPPLY` when the burned total would pass the supply;
 * `CORE_INVALID_ARGUMENT` / `CORE_INVALID_CONFIG` for invalid arguments.
 * @example
 * ```ts
 * import { ONE_TOKEN, initialBurnState, recordBurn } from '@btt/core'
 * recordBurn(initialBurnState, { value: 200_000n * ONE_TOKEN }).burn // 200n * ONE_TOKEN (0.1%)
 * ```
 */
export function recordBurn(
  state: BurnState,
  transaction: { value: bigint },
  config: Pick<EngineConfig, 'burns' | 'token'> = defaultConfig,
): RecordBurnReturnType {
  const current = argument(burnStateSchema, state, 'burn state')
  const { value } = argument(transactionSchema, transaction, 'burn transaction')
  const c = useConfig(config, ['burns', 'token'])
  const burn = value >= c.burns.thresholdValue ? (value * BigInt(c.burns.rateBps)) / BPS : 0n
  if (burn === 0n) return { burn, state: current }
  const burned = current.burned + burn
  const supply = c.token.totalSupply
  if (burned > supply)
    throw new CoreError(
      'CORE_BURN_EXCEEDS_SUPPLY',
      `Burning would bring the burned total to ${burned}, above the supply ${supply}.`,
      { details: { burned: burned.toString(), supply: supply.toString() } },
    )
  return { burn, state: { burned, count: current.count + 1 } }
}

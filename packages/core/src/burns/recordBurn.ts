import { z } from 'zod'
import { defaultConfig } from '../config/parseConfig.js'
import { zAmount } from '../config/primitives.js'
import type { EngineConfig } from '../config/schema.js'
import { BPS } from '../constants.js'
import { BaseError } from '../errors/base.js'
import type { ValidationErrorType } from '../errors/validation.js'
import { parseWith } from '../errors/validation.js'

export const burnStateSchema = z.strictObject({
  /** Tokens burned so far, base units. */
  burned: zAmount,
  /** Burning transactions recorded so far. */
  count: z.number().int().min(0),
})

export type BurnState = z.output<typeof burnStateSchema>

export type RecordBurnReturnType = {
  /** Burned by this transaction (0 below the threshold). */
  burn: bigint
  state: BurnState
}

export type BurnExceedsSupplyErrorType = BurnExceedsSupplyError & { name: 'BurnExceedsSupplyError' }

/** A burn would take the burned total past the token's total supply. */
export class BurnExceedsSupplyError extends BaseError {
  override name = 'BurnExceedsSupplyError' as const
  constructor(burned: bigint, supply: bigint) {
    super(`Burning would bring the burned total to ${burned}, above the supply ${supply}.`)
  }
}

export type RecordBurnErrorType = ValidationErrorType | BurnExceedsSupplyErrorType

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
 * @throws {BurnExceedsSupplyError} when the burned total would pass the supply.
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
  const current = parseWith(burnStateSchema, state, 'burn state')
  const value = parseWith(zAmount, transaction.value, 'transaction value')
  const burn =
    value >= config.burns.thresholdValue ? (value * BigInt(config.burns.rateBps)) / BPS : 0n
  if (burn === 0n) return { burn, state: current }
  const burned = current.burned + burn
  if (burned > config.token.totalSupply)
    throw new BurnExceedsSupplyError(burned, config.token.totalSupply)
  return { burn, state: { burned, count: current.count + 1 } }
}

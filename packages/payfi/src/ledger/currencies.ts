import { payfiError } from '../errors.js'

/** The currencies the ledger keeps, with their decimals (base units per major unit = 10^decimals). */
export const currencies = Object.freeze({
  CNY: { decimals: 2 },
  USD: { decimals: 2 },
  HKD: { decimals: 2 },
  /** The BTT token, 18 decimals (wei). */
  BTT: { decimals: 18 },
  /** Patient points: their own unit, whole points only. */
  POINTS: { decimals: 0 },
} as const)

export type Currency = keyof typeof currencies

/** Largest amount or balance the ledger stores: 2^128 - 1 base units (as TigerBeetle). */
export const MAX_AMOUNT = (1n << 128n) - 1n

/**
 * Checks a currency code; an unknown one throws `PAYFI_UNKNOWN_CURRENCY`.
 *
 * @param code - e.g. `'CNY'`.
 * @returns the code, typed.
 * @example
 * ```ts
 * import { assertCurrency } from '@btt/payfi'
 * assertCurrency('CNY') // 'CNY'
 * ```
 */
export function assertCurrency(code: unknown): Currency {
  if (typeof code === 'string' && Object.hasOwn(currencies, code)) return code as Currency
  throw payfiError('PAYFI_UNKNOWN_CURRENCY', `Unknown currency ${JSON.stringify(code)}.`, {
    details: { currency: String(code), known: Object.keys(currencies) },
  })
}

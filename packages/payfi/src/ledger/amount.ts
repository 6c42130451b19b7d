import { parseUnits } from '@btt/core'
import { payfiError } from '../errors.js'
import { assertCurrency, type Currency, currencies, MAX_AMOUNT } from './currencies.js'

/**
 * Reads an amount for a currency: a `bigint` in base units (fen, cents, wei, points), or a
 * decimal string in major units (`'12.34'` CNY = 1234n). Zero, negative, fractional base units,
 * more decimals than the currency has, numbers (floats lose money) and values above 2^128 - 1
 * throw `PAYFI_INVALID_AMOUNT`; an unknown currency throws `PAYFI_UNKNOWN_CURRENCY`.
 *
 * @param amount - base units (bigint) or a major-unit decimal string.
 * @param currency - the currency code.
 * @returns the amount in base units, > 0.
 * @example
 * ```ts
 * import { parseAmount } from '@btt/payfi'
 * parseAmount('12.34', 'CNY') // 1234n
 * ```
 */
export function parseAmount(amount: unknown, currency: unknown): bigint {
  const code: Currency = assertCurrency(currency)
  const { decimals } = currencies[code]
  let units: bigint
  if (typeof amount === 'bigint') units = amount
  else if (typeof amount === 'string') {
    try {
      units = parseUnits(amount, decimals)
    } catch (cause) {
      throw invalid(amount, code, `not a decimal with at most ${decimals} decimals`, cause)
    }
  } else
    throw invalid(amount, code, 'give a bigint in base units or a decimal string (never a number)')
  if (units <= 0n) throw invalid(amount, code, 'must be greater than zero')
  if (units > MAX_AMOUNT) throw invalid(amount, code, 'exceeds 2^128 - 1 base units')
  return units
}

function invalid(amount: unknown, currency: string, why: string, cause?: unknown) {
  return payfiError('PAYFI_INVALID_AMOUNT', `Invalid ${currency} amount ${show(amount)}: ${why}.`, {
    cause,
    details: { amount: show(amount), currency, reason: why },
  })
}

function show(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value))
}

import { z } from 'zod'
import { argument, optionsArgument } from '../arguments.js'
import type { CoreError } from '../errors.js'
import { decimalsSchema } from './parseUnits.js'

const optionsSchema = z.strictObject({ trim: z.boolean().optional() })

export type FormatUnitsErrorType = CoreError

/**
 * Formats a base-unit amount as a decimal string, without rounding. Trailing zeros are trimmed
 * unless `trim: false`, which shows every decimal — the way money is written (`'1.00'`).
 *
 * @param value - amount in base units.
 * @param decimals - number of decimals of the unit (18 for the token, 2 for CNY), 0–255.
 * @param options - `{ trim }`: drop trailing fractional zeros (default true).
 * @returns the decimal string.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` when `value` is not a bigint, `decimals` not a whole
 * number 0–255 (NaN, a fraction, a string) or `options` not `{ trim?: boolean }`.
 * @example
 * ```ts
 * import { formatUnits } from '@btt/core'
 * formatUnits(1_500_000_000_000_000_000n, 18) // '1.5'
 * formatUnits(100n, 2, { trim: false }) // '1.00'
 * ```
 */
export function formatUnits(
  value: bigint,
  decimals: number,
  options: { trim?: boolean } = {},
): string {
  argument(z.bigint(), value, 'amount')
  argument(decimalsSchema, decimals, 'decimals')
  const { trim } = optionsArgument(optionsSchema, options, 'format options')
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const all = digits.slice(digits.length - decimals)
  const fraction = trim === false ? all : all.replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}

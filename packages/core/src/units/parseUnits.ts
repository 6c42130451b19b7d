import { z } from 'zod'
import { argument } from '../arguments.js'
import { CoreError } from '../errors.js'

/** Decimals of a unit: a whole number from 0 to 255. */
export const decimalsSchema = z.number().int().min(0).max(255)

export type ParseUnitsErrorType = CoreError

/**
 * Parses a decimal string into base units, exactly. More decimals than the unit has is an
 * error, not a silent rounding.
 *
 * @param value - decimal string such as `'1.5'` or `'-0.25'` (at most 1,000 characters).
 * @param decimals - number of decimals of the unit, a whole number 0–255.
 * @returns the amount in base units.
 * @throws {CoreError} `CORE_INVALID_DECIMAL` when `value` is not such a decimal or has too many
 * decimals; `CORE_INVALID_ARGUMENT` when `value` is not a string or `decimals` is not a whole
 * number 0–255 (NaN, a fraction, a string).
 * @example
 * ```ts
 * import { parseUnits } from '@btt/core'
 * parseUnits('6300000', 18) // 6_300_000n * 10n ** 18n
 * ```
 */
export function parseUnits(value: string, decimals: number): bigint {
  argument(z.string().max(1000), value, 'decimal string')
  argument(decimalsSchema, decimals, 'decimals')
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim())
  const fraction = match?.[3] ?? ''
  if (!match || fraction.length > decimals)
    throw new CoreError(
      'CORE_INVALID_DECIMAL',
      `"${value}" is not a decimal number with at most ${decimals} decimals.`,
      { details: { value, decimals } },
    )
  const units = BigInt((match[2] ?? '0') + fraction.padEnd(decimals, '0'))
  return match[1] ? -units : units
}

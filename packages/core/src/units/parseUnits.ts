import { BaseError } from '../errors/base.js'

export type InvalidDecimalErrorType = InvalidDecimalError & { name: 'InvalidDecimalError' }

/** A decimal string could not be read, or has more decimals than the unit allows. */
export class InvalidDecimalError extends BaseError {
  override name = 'InvalidDecimalError' as const
  constructor(value: string, decimals: number) {
    super(`"${value}" is not a decimal number with at most ${decimals} decimals.`)
  }
}

/**
 * Parses a decimal string into base units, exactly. More decimals than the unit has is an
 * error, not a silent rounding.
 *
 * @param value - decimal string such as `'1.5'` or `'-0.25'`.
 * @param decimals - number of decimals of the unit.
 * @returns the amount in base units.
 * @example
 * ```ts
 * import { parseUnits } from '@btt/core'
 * parseUnits('6300000', 18) // 6_300_000n * 10n ** 18n
 * ```
 */
export function parseUnits(value: string, decimals: number): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim())
  if (!match) throw new InvalidDecimalError(value, decimals)
  const [, sign, whole = '0', fraction = ''] = match
  if (fraction.length > decimals) throw new InvalidDecimalError(value, decimals)
  const units = BigInt(whole + fraction.padEnd(decimals, '0'))
  return sign ? -units : units
}

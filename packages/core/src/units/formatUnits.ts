/**
 * Formats a base-unit amount as a decimal string (no rounding, trailing zeros trimmed).
 *
 * @param value - amount in base units.
 * @param decimals - number of decimals of the unit (18 for the token, 2 for CNY).
 * @returns the decimal string.
 * @example
 * ```ts
 * import { formatUnits } from '@btt/core'
 * formatUnits(1_500_000_000_000_000_000n, 18) // '1.5'
 * ```
 */
export function formatUnits(value: bigint, decimals: number): string {
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}

/** Fixed-point scale used by {@link exp2Neg}: 10^40. */
export const FIXED_SCALE = 10n ** 40n

/** ln 2 truncated to 40 decimals, at {@link FIXED_SCALE}. */
const LN2 = 6_931_471_805_599_453_094_172_321_214_581_765_680_755n

/**
 * `2^(-numerator/denominator)` at {@link FIXED_SCALE}, computed in integers only, so the result
 * is the same on every machine and engine (unlike `Math.pow`, whose last bits may differ).
 * Accurate to well under 10^-30 relative.
 */
export function exp2Neg(numerator: bigint, denominator: bigint): bigint {
  // y = x ln 2 at scale; halve y until it is below 1/16, then square back up.
  let y = (numerator * LN2) / denominator
  let squarings = 0
  while (y > FIXED_SCALE / 16n) {
    y /= 2n
    squarings++
  }
  // exp(-y) by its Taylor series; terms alternate and shrink fast for y < 1/16.
  let term = FIXED_SCALE
  let sum = FIXED_SCALE
  for (let k = 1n; term !== 0n; k++) {
    term = (term * y) / (FIXED_SCALE * k)
    sum += k % 2n === 1n ? -term : term
  }
  for (let i = 0; i < squarings; i++) sum = (sum * sum) / FIXED_SCALE
  return sum
}

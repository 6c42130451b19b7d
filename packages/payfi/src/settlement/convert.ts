import { z } from 'zod'
import { parsePayfi, payfiError } from '../errors.js'

const schema = z.strictObject({
  amount: z.bigint().nonnegative(),
  from: z.number().int().min(0).max(77),
  to: z.number().int().min(0).max(77),
})

export type ConvertUnitsParameters = {
  amount: bigint
  /** Decimals of the unit `amount` is in (the ledger currency's). */
  from: number
  /** Decimals of the target unit (the settlement asset's). */
  to: number
}

/**
 * Converts an amount between two decimal scales exactly: scaling up multiplies; scaling down
 * divides only when nothing is lost. A remainder throws `PAYFI_LOSSY_CONVERSION` (no rounding:
 * a payout never differs from what the ledger records by a single unit).
 *
 * @param parameters - `{ amount, from, to }`.
 * @returns the amount in the `to` scale.
 * @throws {PayfiError} `PAYFI_INVALID_ARGUMENT`, `PAYFI_LOSSY_CONVERSION`.
 * @example
 * ```ts
 * import { convertUnits } from '@btt/payfi'
 * convertUnits({ amount: 1234n, from: 2, to: 6 }) // 12340000n
 * ```
 */
export function convertUnits(parameters: ConvertUnitsParameters): bigint {
  const { amount, from, to } = parsePayfi(schema, parameters, 'unit conversion')
  if (to >= from) return amount * 10n ** BigInt(to - from)
  const unit = 10n ** BigInt(from - to)
  if (amount % unit !== 0n)
    throw payfiError(
      'PAYFI_LOSSY_CONVERSION',
      `${amount} at ${from} decimals is not a whole number of units at ${to} decimals.`,
      { details: { amount: amount.toString(), from, to, remainder: (amount % unit).toString() } },
    )
  return amount / unit
}

/** The largest part of `amount` (at `from` decimals) that converts to `to` decimals exactly. */
export function convertiblePart(amount: bigint, from: number, to: number): bigint {
  if (to >= from) return amount
  const unit = 10n ** BigInt(from - to)
  return amount - (amount % unit)
}

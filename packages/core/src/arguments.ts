import { z } from 'zod'
import { describe } from './describe.js'
import { CoreError, parseWith } from './errors.js'

/**
 * Checks one argument of an exported function against `schema`; a mismatch throws
 * `CoreError('CORE_INVALID_ARGUMENT')` with every issue in `details.issues`. Not exported from
 * the package.
 */
export function argument<S extends z.ZodType>(
  schema: S,
  value: unknown,
  subject: string,
): z.output<S> {
  return parseWith(schema, value, subject, CoreError, 'CORE_INVALID_ARGUMENT')
}

/** A non-negative bigint amount, without zod (for hot paths). */
export function amountArgument(value: unknown, subject: string): bigint {
  if (typeof value !== 'bigint')
    throw new CoreError(
      'CORE_INVALID_ARGUMENT',
      `${subject} must be a bigint, got ${describe(value)}.`,
      {
        details: { subject, got: describe(value) },
      },
    )
  if (value < 0n)
    throw new CoreError('CORE_NEGATIVE_AMOUNT', `${subject} must not be negative (got ${value}).`, {
      details: { subject, amount: value.toString() },
    })
  return value
}

/** An options object that may be left out: `undefined` becomes `{}`. */
export function optionsArgument<S extends z.ZodType>(
  schema: S,
  value: unknown,
  subject: string,
): z.output<S> {
  return argument(schema, value === undefined ? {} : value, subject)
}

/** A strict bigint ≥ 0 (no strings: the function's type says bigint). */
export const zUnits = z.bigint().min(0n, 'must not be negative')

// @deprecated — the pre-BttError `toBttError`, kept only while other packages migrate; the new
// one (returns a `BttError`, wraps with `CORE_UNKNOWN`) is in packages/core/src/errors.ts.
import { BaseError } from './base.js'

/** @deprecated Use `toBttError` from errors.ts: foreign errors become `CoreError('CORE_UNKNOWN')`. */
export type UnknownBttErrorType = UnknownBttError & { name: 'UnknownBttError' }

/** @deprecated Wraps something thrown that was not a {@link BaseError}; use `CORE_UNKNOWN`. */
export class UnknownBttError extends BaseError {
  override name = 'UnknownBttError' as const
}

/**
 * @deprecated Returns the old `BaseError`; the new `toBttError` returns a `BttError`. Our own
 * errors (any `BaseError` or `BttError`) pass through; others are wrapped with their message
 * and the original as `cause`.
 *
 * @param error - whatever was caught.
 * @returns a `BaseError` (or a `BttError`, which also passes `instanceof BaseError`).
 * @example
 * ```ts
 * import { toBttError } from '@btt/core'
 * const error = toBttError(new TypeError('boom'))
 * console.log(error.shortMessage) // 'boom'
 * ```
 */
export function toBttError(error: unknown): BaseError {
  if (error instanceof BaseError) return error
  if (error instanceof Error) return new UnknownBttError(error.message, { cause: error })
  return new UnknownBttError(`Non-error thrown: ${String(error)}`, { cause: error })
}

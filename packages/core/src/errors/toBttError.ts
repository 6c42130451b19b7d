import { BaseError } from './base.js'

export type UnknownBttErrorType = UnknownBttError & { name: 'UnknownBttError' }

/** Wraps something thrown that was not a {@link BaseError}. */
export class UnknownBttError extends BaseError {
  override name = 'UnknownBttError' as const
}

/**
 * Normalises anything thrown into a {@link BaseError}: our own errors pass through, other
 * errors are wrapped with their message kept as `details` and the original as `cause`.
 *
 * @param error - whatever was caught.
 * @returns a `BaseError`.
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

// @deprecated — the pre-BttError model, kept only while other packages migrate to
// `BttError` / `CoreError` (packages/core/src/errors.ts). Nothing in @btt/core throws it.
import { BttError, version } from '../errors.js'

export type BaseErrorParameters = {
  /** Extra lines shown under the short message (for example, each invalid field). */
  metaMessages?: readonly string[] | undefined
  /** Longer explanation, usually the message of the cause. */
  details?: string | undefined
  /** Path of the documentation page that explains this error. */
  docsPath?: string | undefined
  cause?: unknown
}

/** @deprecated Use `BttError` (or the package's own error class). */
export type BaseErrorType = BaseError & { name: 'BaseError' }

/**
 * @deprecated Use `BttError` and each package's error class (`CoreError`, …), which take
 * `(code, message, { cause, details })`. While packages migrate, `x instanceof BaseError` is also
 * true for any `BttError`, so old `catch` blocks keep recognising errors from @btt/core.
 *
 * Root of every error the BTT SDK throws. Carries a one-line `shortMessage`, optional
 * `metaMessages` and `details`, and the `cause` it wraps; `walk()` follows the causes.
 *
 * @example
 * ```ts
 * import { BaseError, allocate } from '@btt/core'
 * try {
 *   allocate(10n, [])
 * } catch (error) {
 *   if (error instanceof BaseError) console.log(error.shortMessage)
 * }
 * ```
 */
export class BaseError extends Error {
  override name = 'BaseError'

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class being tested (or a subclass)
    const native = Function.prototype[Symbol.hasInstance].call(this, value)
    // biome-ignore lint/complexity/noThisInStatic: only BaseError itself also matches BttErrors
    return native || (this === BaseError && value instanceof BttError)
  }

  readonly shortMessage: string
  readonly details: string | undefined
  readonly docsPath: string | undefined
  readonly metaMessages: readonly string[] | undefined
  readonly version = `@btt/core@${version}`

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const details =
      parameters.details ??
      (parameters.cause instanceof BaseError
        ? parameters.cause.details
        : parameters.cause instanceof Error
          ? parameters.cause.message
          : undefined)
    const message = [
      shortMessage,
      ...(parameters.metaMessages?.length ? ['', ...parameters.metaMessages] : []),
      ...(details && details !== shortMessage ? ['', `Details: ${details}`] : []),
      ...(parameters.docsPath ? [`Docs: ${parameters.docsPath}`] : []),
      `Version: @btt/core@${version}`,
    ].join('\n')
    super(message, parameters.cause === undefined ? undefined : { cause: parameters.cause })
    this.shortMessage = shortMessage
    this.details = details
    this.docsPath = parameters.docsPath
    this.metaMessages = parameters.metaMessages
  }

  /**
   * Follows the chain of causes. With a predicate, returns the first error that matches
   * (or `null`); without one, returns the innermost error.
   */
  walk(predicate?: (error: unknown) => boolean): unknown {
    return walk(this, predicate)
  }
}

function walk(error: unknown, predicate?: (error: unknown) => boolean): unknown {
  if (predicate?.(error)) return error
  if (error && typeof error === 'object' && 'cause' in error && error.cause !== undefined)
    return walk(error.cause, predicate)
  return predicate ? null : error
}

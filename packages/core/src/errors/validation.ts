// @deprecated — the pre-BttError validation error, kept only while other packages migrate to
// `BttError` / `parseWithCode` (packages/core/src/errors.ts). Nothing in @btt/core throws these.
import type { z } from 'zod'
import { CoreError, type ValidationIssue, zodIssues } from '../errors.js'
import { BaseError } from './base.js'

/** @deprecated Use `CoreError` (`code` `CORE_INVALID_ARGUMENT` / `CORE_INVALID_CONFIG`). */
export type ValidationErrorType = ValidationError & { name: 'ValidationError' }

/**
 * @deprecated Use `parseWithCode(schema, value, subject, XError, 'X_INVALID_ARGUMENT')`, which
 * throws the package's own coded error with the issues in `details.issues`.
 *
 * While packages migrate, `x instanceof ValidationError` is also true for a `CoreError` from a
 * schema (`details.issues` present), and such an error exposes `issues` too.
 */
export class ValidationError extends BaseError {
  override name = 'ValidationError' as const
  readonly issues: readonly ValidationIssue[]
  readonly subject: string

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being tested
    return Function.prototype[Symbol.hasInstance].call(this, value) || isSchemaCoreError(value)
  }

  constructor(subject: string, error: z.ZodError) {
    const issues = zodIssues(error)
    super(`Invalid ${subject}: ${issues.length} problem${issues.length === 1 ? '' : 's'}.`, {
      metaMessages: [error.message],
      cause: error,
    })
    this.issues = issues
    this.subject = subject
  }
}

function isSchemaCoreError(value: unknown): value is CoreError {
  return value instanceof CoreError && Array.isArray(value.details?.issues)
}

// The deprecated `issues` of a schema CoreError (read by `catch (e) { if (e instanceof
// ValidationError) e.issues }` in packages not migrated yet). Goes with ValidationError.
if (!Object.hasOwn(CoreError.prototype, 'issues'))
  Object.defineProperty(CoreError.prototype, 'issues', {
    configurable: true,
    get(this: CoreError) {
      return this.details?.issues
    },
  })

/**
 * @deprecated Use `error instanceof CoreError && error.code === 'CORE_NO_ELIGIBLE_NODES'`.
 * Never constructed; `instanceof` matches the `CoreError` that `dividendShares` throws when every
 * node scores zero.
 */
export abstract class NoEligibleNodesError extends CoreError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof CoreError && value.code === 'CORE_NO_ELIGIBLE_NODES'
  }
}

/** @deprecated See {@link NoEligibleNodesError}. */
export type NoEligibleNodesErrorType = CoreError

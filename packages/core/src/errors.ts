/**
 * The error model every BTT package shares: `BttError`, the error kinds, code tables and
 * `parseWithCode`.
 *
 * @packageDocumentation
 * @module @btt/core/errors
 */

import { z } from 'zod'
import { describe } from './describe.js'
import { version } from './version.js'

/**
 * What kind of failure a code names. Packages choose a kind for each of their codes; the CLI maps
 * kinds to exit codes and the HTTP servers map them to statuses, so a new code needs no new
 * mapping anywhere.
 */
export type ErrorKind =
  /** The caller's input (arguments, files, flags, request bodies) is wrong. */
  | 'invalid_input'
  /** Something the caller named does not exist. */
  | 'not_found'
  /** The request contradicts the current state (an idempotency key reused, a capture after cancel). */
  | 'conflict'
  /** Credentials are missing or wrong. */
  | 'unauthorized'
  /** Credentials are right but do not allow this. */
  | 'forbidden'
  /** A peer (server, node, chain) refused, failed or could not be reached. */
  | 'unavailable'
  /** A peer or an operation did not finish in the time allowed. */
  | 'timeout'
  /** Reading or writing local files or a local database failed. */
  | 'io'
  /** Data failed an integrity check (a hash, a signature, an invariant). */
  | 'integrity'
  /** A defect in the SDK itself, or something thrown that the SDK did not expect. */
  | 'internal'

export const errorKinds = [
  'invalid_input',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'unavailable',
  'timeout',
  'io',
  'integrity',
  'internal',
] as const satisfies readonly ErrorKind[]

/** One row of a package's code table. */
export type ErrorCodeEntry = {
  kind: ErrorKind
  /** One line a user can read in a README: what this code means. */
  description: string
}

/** A package's closed table of stable error codes. Codes are SCREAMING_SNAKE_CASE and never reused. */
export type ErrorCodeTable = Readonly<Record<string, ErrorCodeEntry>>

/**
 * Declares a package's code table with its literal keys kept, so `keyof typeof table` is the
 * closed union of codes.
 *
 * @param table - code → kind and description.
 * @returns the same table, typed.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` for a code that is not `PKG_WHAT` or an entry without
 * a known kind and a description.
 * @example
 * ```ts
 * import { defineErrorCodes } from '@btt/core'
 * export const payfiErrorCodes = defineErrorCodes({
 *   PAYFI_IDEMPOTENCY_CONFLICT: { kind: 'conflict', description: 'An idempotency key was reused with other parameters.' },
 * })
 * ```
 */
export function defineErrorCodes<const T extends ErrorCodeTable>(table: T): T {
  if (typeof table !== 'object' || table === null || Array.isArray(table))
    throw new CoreError('CORE_INVALID_ARGUMENT', 'An error code table must be an object.', {
      details: { got: describe(table) },
    })
  for (const [code, entry] of Object.entries(table as Record<string, unknown>)) {
    if (!/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(code))
      throw new CoreError(
        'CORE_INVALID_ARGUMENT',
        `Error code ${code} is not SCREAMING_SNAKE_CASE with a package prefix.`,
        { details: { code } },
      )
    const { kind, description } = (entry ?? {}) as Partial<ErrorCodeEntry>
    if (!errorKinds.includes(kind as ErrorKind) || typeof description !== 'string' || !description)
      throw new CoreError(
        'CORE_INVALID_ARGUMENT',
        `Error code ${code} needs a kind (${errorKinds.join(', ')}) and a description.`,
        { details: { code } },
      )
  }
  return Object.freeze(table)
}

/** Options every BTT error takes besides its code and message. */
export type BttErrorOptions = {
  /** What was thrown underneath, kept for `walk()` and `--debug`. */
  cause?: unknown
  /** Structured facts about the failure (a file, an offset, a status): JSON-serialisable. */
  details?: Readonly<Record<string, unknown>> | undefined
  /** Extra lines printed under the message, e.g. each invalid field. */
  metaMessages?: readonly string[] | undefined
}

export { version } from './version.js'

/**
 * Root of every error the BTT SDK throws. One constructor shape everywhere:
 * `new XError(code, message, { cause, details })`, where `code` comes from the package's closed
 * table (`XError.codes`). `kind` is looked up from the table; `walk()` follows the causes;
 * `toJSON()` gives `{ code, message, details }` for logs, HTTP bodies and `--json`.
 *
 * @example
 * ```ts
 * import { CoreError, allocate } from '@btt/core'
 * try {
 *   allocate(10n, [])
 * } catch (error) {
 *   if (error instanceof CoreError) console.log(error.code) // 'CORE_INVALID_ARGUMENT'
 * }
 * ```
 */
export class BttError<Code extends string = string> extends Error {
  /** The package's code table; each package's error class overrides it. */
  static codes: ErrorCodeTable = {}
  override name = 'BttError'
  readonly code: Code
  readonly kind: ErrorKind
  readonly shortMessage: string
  readonly details: Readonly<Record<string, unknown>> | undefined
  readonly metaMessages: readonly string[] | undefined
  readonly version = `@btt/core@${version}`

  constructor(code: Code, message: string, options: BttErrorOptions = {}) {
    const lines = [message, ...(options.metaMessages?.length ? ['', ...options.metaMessages] : [])]
    super(lines.join('\n'), options.cause === undefined ? undefined : { cause: options.cause })
    const table = (new.target as typeof BttError).codes
    this.code = code
    this.kind = table[code]?.kind ?? 'internal'
    this.shortMessage = message
    this.details = options.details
    this.metaMessages = options.metaMessages
  }

  /**
   * Follows the chain of causes. With a predicate, returns the first error that matches
   * (or `null`); without one, returns the innermost error.
   */
  walk(predicate?: (error: unknown) => boolean): unknown {
    return walk(this, predicate)
  }

  /** `{ code, message, details }`: what the CLI's `--json` and the HTTP servers print. */
  toJSON(): { code: Code; message: string; details?: Readonly<Record<string, unknown>> } {
    return {
      code: this.code,
      message: this.shortMessage,
      ...(this.details ? { details: this.details } : {}),
    }
  }
}

function walk(error: unknown, predicate?: (error: unknown) => boolean): unknown {
  if (predicate?.(error)) return error
  if (error && typeof error === 'object' && 'cause' in error && error.cause !== undefined)
    return walk(error.cause, predicate)
  return predicate ? null : error
}

/** @btt/core's codes. */
export const coreErrorCodes = defineErrorCodes({
  CORE_INVALID_ARGUMENT: {
    kind: 'invalid_input',
    description:
      'An argument of an exported function has the wrong type, range or shape (NaN, a fraction, a string for a bigint, a missing field); `details.issues` lists each problem by path.',
  },
  CORE_INVALID_CONFIG: {
    kind: 'invalid_input',
    description:
      'An engine config (or the part of one a function uses) did not pass its schema; `details.issues` lists every problem by path.',
  },
  CORE_NEGATIVE_AMOUNT: {
    kind: 'invalid_input',
    description: 'An amount that must be zero or more is negative.',
  },
  CORE_INVALID_WEIGHTS: {
    kind: 'invalid_input',
    description: 'The weights of a split are empty, negative or all zero.',
  },
  CORE_OVER_RELEASED: {
    kind: 'integrity',
    description:
      'The recorded released amount is larger than what has vested: the release records are wrong.',
  },
  CORE_UNKNOWN_MILESTONE: {
    kind: 'invalid_input',
    description: 'An attestation names a milestone the schedule does not have.',
  },
  CORE_DUPLICATE_VOTE: {
    kind: 'conflict',
    description: 'The same voter appears more than once in one tally.',
  },
  CORE_UNKNOWN_TIER: {
    kind: 'invalid_input',
    description:
      'A compute usage names an urgency or hardware tier the price schedule does not list.',
  },
  CORE_BURN_EXCEEDS_SUPPLY: {
    kind: 'integrity',
    description: 'A burn would take the burned total above the total supply.',
  },
  CORE_FEE_EXCEEDS_GROSS: {
    kind: 'invalid_input',
    description: 'A configured fee would be larger than the amount it is taken from.',
  },
  CORE_UNKNOWN_FEE_CLASS: {
    kind: 'invalid_input',
    description:
      'An asset class, complexity, regulatory level, clinic size or rate that the fee schedule does not list or allow.',
  },
  CORE_INVALID_DECIMAL: {
    kind: 'invalid_input',
    description: 'A decimal string cannot be read, or has more decimals than the unit allows.',
  },
  CORE_NO_ELIGIBLE_NODES: {
    kind: 'invalid_input',
    description:
      'Every contributor node scored zero, so there is nothing to split a reward pool by.',
  },
  CORE_UNKNOWN_CARE_EVENT: {
    kind: 'invalid_input',
    description: 'A care event kind earns no points under the incentive config.',
  },
  CORE_UNKNOWN: {
    kind: 'internal',
    description: 'Something was thrown that is not a BTT error; the original is the cause.',
  },
})

export type CoreErrorCode = keyof typeof coreErrorCodes

/** The error @btt/core throws; `code` is one of {@link coreErrorCodes}. */
export class CoreError extends BttError<CoreErrorCode> {
  static override codes: ErrorCodeTable = coreErrorCodes
  override name = 'CoreError'
}

/** One problem found by a schema: the dotted path of the field and what is wrong with it. */
export type ValidationIssue = {
  /** Dotted path of the offending field, e.g. `allocation.3.shareBps`; `(root)` for the value itself. */
  path: string
  message: string
}

/**
 * Turns a zod error into path + message issues.
 *
 * @param error - a `ZodError`.
 * @returns one `{ path, message }` per issue, the path dotted (`(root)` for the value itself).
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` when `error` is not a `ZodError`.
 */
export function zodIssues(error: z.ZodError): ValidationIssue[] {
  if (!(error instanceof z.ZodError))
    throw new CoreError('CORE_INVALID_ARGUMENT', 'zodIssues needs a ZodError.', {
      details: { got: describe(error) },
    })
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }))
}

/**
 * Parses `value` with `schema`; a failure throws `new ErrorClass(code, …)` with every issue kept
 * as `details.issues` and printed readably. Each package calls it with its own class and code.
 *
 * @throws {CoreError} `new ErrorClass(code)` when `value` does not match; `CORE_INVALID_ARGUMENT`
 * when the schema, subject, class or code is missing.
 * @example
 * ```ts
 * import { CoreError, parseWith } from '@btt/core'
 * import { z } from 'zod'
 * parseWith(z.bigint(), 5n, 'amount', CoreError, 'CORE_INVALID_ARGUMENT')
 * ```
 */
export function parseWith<S extends z.ZodType, C extends string>(
  schema: S,
  value: unknown,
  subject: string,
  ErrorClass: new (code: C, message: string, options?: BttErrorOptions) => BttError<C>,
  code: C,
): z.output<S> {
  if (typeof (schema as { safeParse?: unknown } | null)?.safeParse !== 'function')
    throw new CoreError('CORE_INVALID_ARGUMENT', 'parseWith needs a zod schema.', {
      details: { got: describe(schema) },
    })
  if (typeof ErrorClass !== 'function' || typeof code !== 'string' || typeof subject !== 'string')
    throw new CoreError(
      'CORE_INVALID_ARGUMENT',
      'parseWith needs a subject, an error class and a code.',
      {
        details: {
          subject: describe(subject),
          ErrorClass: describe(ErrorClass),
          code: describe(code),
        },
      },
    )
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = zodIssues(result.error)
  throw new ErrorClass(
    code,
    `Invalid ${subject}: ${issues.length} problem${issues.length === 1 ? '' : 's'}.`,
    {
      details: { subject, issues },
      metaMessages: [z.prettifyError(result.error)],
      cause: result.error,
    },
  )
}

/**
 * Normalises anything thrown into a {@link BttError}: ours pass through, anything else becomes
 * `CORE_UNKNOWN` with the original as `cause` and its message kept.
 *
 * @param error - whatever was caught.
 * @returns a `BttError`.
 * @example
 * ```ts
 * import { toBttError } from '@btt/core'
 * toBttError(new TypeError('boom')).code // 'CORE_UNKNOWN'
 * ```
 */
export function toBttError(error: unknown): BttError {
  if (error instanceof BttError) return error
  if (error instanceof Error)
    return new CoreError('CORE_UNKNOWN', error.message, {
      cause: error,
      details: { name: error.name },
    })
  return new CoreError('CORE_UNKNOWN', `Non-error thrown: ${String(error)}`, { cause: error })
}

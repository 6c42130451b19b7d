import { z } from 'zod'

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
 * @example
 * ```ts
 * import { defineErrorCodes } from '@btt/core'
 * export const payfiErrorCodes = defineErrorCodes({
 *   PAYFI_IDEMPOTENCY_CONFLICT: { kind: 'conflict', description: 'An idempotency key was reused with other parameters.' },
 * })
 * ```
 */
export function defineErrorCodes<const T extends ErrorCodeTable>(table: T): T {
  for (const code of Object.keys(table)) {
    if (!/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(code))
      throw new TypeError(`error code ${code} is not SCREAMING_SNAKE_CASE with a package prefix`)
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

/** Version stamped into every error so a report can be matched to a release. */
export const version = '0.1.0'

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
  readonly version = `@btt/sdk@${version}`

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
    description: 'An argument of an exported function has the wrong type, range or shape.',
  },
  CORE_INVALID_CONFIG: {
    kind: 'invalid_input',
    description: 'A configuration did not pass its schema (every problem listed by path).',
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

/** Turns a zod error into path + message issues. */
export function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }))
}

/**
 * Parses `value` with `schema`; a failure throws `new ErrorClass(code, …)` with every issue kept
 * as `details.issues` and printed readably. Each package calls it with its own class and code.
 *
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

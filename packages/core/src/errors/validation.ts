import { z } from 'zod'
import { BaseError } from './base.js'

export type ValidationIssue = {
  /** Dotted path of the offending field, e.g. `allocation.3.shareBps`. */
  path: string
  message: string
}

export type ValidationErrorType = ValidationError & { name: 'ValidationError' }

/**
 * Input at a public boundary did not match its schema. `issues` keeps every problem as
 * data (path + message); the message prints them one per line.
 */
export class ValidationError extends BaseError {
  override name = 'ValidationError' as const
  readonly issues: readonly ValidationIssue[]
  readonly subject: string

  constructor(subject: string, error: z.ZodError) {
    const issues = error.issues.map((issue) => ({
      path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
      message: issue.message,
    }))
    super(`Invalid ${subject}: ${issues.length} problem${issues.length === 1 ? '' : 's'}.`, {
      metaMessages: [z.prettifyError(error)],
      cause: error,
    })
    this.issues = issues
    this.subject = subject
  }
}

/** Parses `value` with `schema`, turning a zod failure into a {@link ValidationError}. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  subject: string,
): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw new ValidationError(subject, result.error)
  return result.data
}

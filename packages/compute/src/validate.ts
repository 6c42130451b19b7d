import { parseWith as parseWithCode } from '@btt/core/errors'
import type { z } from 'zod'
import { ComputeError } from './errors.js'

/**
 * Checks an exported function's arguments with `schema`; a failure is a {@link ComputeError}
 * `COMPUTE_INVALID_ARGUMENT` with each issue in `details.issues`.
 */
export function parseArgs<S extends z.ZodType>(
  schema: S,
  value: unknown,
  subject: string,
): z.output<S> {
  return parseWithCode(schema, value, subject, ComputeError, 'COMPUTE_INVALID_ARGUMENT')
}

import { parseWithCode } from '@btt/core'
import type { z } from 'zod'
import { SimulatorError } from './errors.js'

/**
 * Checks an exported function's arguments at run time (types do not exist there): a failure
 * throws `SIM_INVALID_ARGUMENT` with every problem in `details.issues`.
 *
 * @param schema - what the arguments must be.
 * @param value - the arguments.
 * @param subject - what they are, for the message.
 * @returns the parsed value.
 */
export function parseArguments<S extends z.ZodType>(
  schema: S,
  value: unknown,
  subject: string,
): z.output<S> {
  return parseWithCode(schema, value, subject, SimulatorError, 'SIM_INVALID_ARGUMENT')
}

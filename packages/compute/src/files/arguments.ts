import { z } from 'zod'
import { parseArgs } from '../validate.js'

const path = z
  .string()
  .min(1)
  .refine((p) => !p.includes('\0'), 'a path holds no NUL byte')
const refuse = z.custom<(reason: string, cause?: unknown) => Error>(
  (v) => typeof v === 'function',
  'a function that makes the error to throw',
)

/** The arguments of `makeFolder` and `readRegularFile`, checked at the boundary. */
export const filesArguments = {
  makeFolder: (args: unknown[]) => parseArgs(z.tuple([path, refuse]), args, 'makeFolder arguments'),
  readRegularFile: (args: unknown[]) =>
    parseArgs(
      z.tuple([path, z.number().int().positive().or(z.literal(Number.POSITIVE_INFINITY)), refuse]),
      args,
      'readRegularFile arguments',
    ),
}

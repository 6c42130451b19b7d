import { z } from 'zod'
import { runsSchema, seedSchema } from '../scenario/schema.js'

/** Worker threads: 0 runs on the calling thread. */
export const workersSchema = z.number().int().min(0).max(1024)

/**
 * `simulate()`'s options. `runs` and `seed` have the bounds the scenario schema gives the
 * scenario's own `runs` and `seed` — one schema, reused by the CLI's flags too.
 */
export const simulateOptionsSchema = z.strictObject({
  runs: runsSchema.optional(),
  seed: seedSchema.optional(),
  workers: workersSchema.optional(),
  out: z.string().min(1).optional(),
  inputs: z.array(z.string().min(1)).optional(),
  onProgress: z.custom<(progress: never) => void>((f) => typeof f === 'function').optional(),
  source: z.string().optional(),
})

/** A command-line number: the whole text must be a number (`'2.5'`, `'1e3'`), never `''`. */
const flag = <S extends z.ZodType>(schema: S) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
    schema,
  ) as unknown as z.ZodType<z.output<S>, string>

/**
 * The command line's `--runs`, `--seed`, `--workers` and `--out`, as text: each parsed as a number
 * and checked with the same schema (and bounds) as {@link simulateOptionsSchema} and the scenario.
 */
export const simulateFlagsSchema = z.strictObject({
  runs: flag(runsSchema).optional(),
  seed: flag(seedSchema).optional(),
  workers: flag(workersSchema).optional(),
  out: z.string().min(1),
})

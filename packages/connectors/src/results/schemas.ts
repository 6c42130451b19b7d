import type { AnalysisResult } from '@btt/compute'
import { parseWithCode } from '@btt/core'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'

const coding = z.object({ system: z.string().min(1), code: z.string().min(1), display: z.string() })
const bytes = z.instanceof(Uint8Array)

const mask = z.looseObject({
  rows: z.number().int().positive(),
  columns: z.number().int().positive(),
  pixels: bytes,
  probabilities: bytes.optional(),
})

const finding = z.looseObject({
  label: z.string().min(1),
  probability: z.number().min(0).max(1),
  present: z.boolean(),
  box: z
    .object({
      x: z.number().int(),
      y: z.number().int(),
      width: z.number().int().min(0),
      height: z.number().int().min(0),
    })
    .optional(),
  mask: mask.optional(),
  code: coding.optional(),
  category: coding.optional(),
})

const image = z.looseObject({
  file: z.string(),
  studyInstanceUid: z.string().min(1),
  seriesInstanceUid: z.string().min(1),
  sopInstanceUid: z.string().min(1),
  sopClassUid: z.string().min(1),
  frame: z.number().int().min(0),
  rows: z.number().int().positive(),
  columns: z.number().int().positive(),
  findings: z.array(finding),
})

/** What the result writers read of an `@btt/compute` analysis result. */
export const analysisResultSchema = z.looseObject({
  model: z.looseObject({
    id: z.string().min(1),
    name: z.string().min(1),
    version: z.string().min(1),
    sha256: z.string().min(1),
  }),
  backend: z.looseObject({ name: z.string() }),
  images: z.array(image),
  failures: z.array(z.looseObject({ file: z.string() })).optional(),
})

/** {@link ResultObjectOptions}, checked. */
export const resultObjectOptionsShape = {
  sources: z.array(bytes),
  manufacturer: z.string().max(64).optional(),
  at: z.date().optional(),
  idempotencyKey: z.string().min(1).optional(),
}

/**
 * Checks an analysis result and a writer's options at the boundary (a result read from JSON, or
 * built by hand, has skipped TypeScript); throws `CONNECTORS_INVALID_ARGUMENT` with every problem.
 */
export function checkResultArguments(
  result: unknown,
  options: unknown,
  optionsSchema: z.ZodType,
): asserts result is AnalysisResult {
  parseWithCode(
    analysisResultSchema,
    result,
    'analysis result',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  parseWithCode(
    optionsSchema,
    options,
    'result options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
}

import type { AnalysisResult } from '@btt/compute'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'
import { maskedFindings } from './maskedFindings.js'
import { type ResultObjectOptions, readSources } from './part10.js'
import { checkResultArguments, resultObjectOptionsShape } from './schemas.js'
import { segmentation } from './segmentation.js'

export { packBits } from './segmentPixels.js'

export type SegmentationOptions = ResultObjectOptions & {
  /** Series Number of the new series (default 902). */
  seriesNumber?: number
  /**
   * `BINARY` (default): 1 bit per pixel, the thresholded masks. `FRACTIONAL`: 8 bits per pixel,
   * the model's probability (0–255 for 0–1; `SegmentationFractionalType` PROBABILITY) — needs
   * masks analysed with `maskProbabilities: true`.
   */
  type?: 'BINARY' | 'FRACTIONAL'
}

export type CreateSegmentationsErrorType = ConnectorsError

const optionsSchema = z.object({
  ...resultObjectOptionsShape,
  seriesNumber: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  type: z.enum(['BINARY', 'FRACTIONAL']).optional(),
})

/**
 * DICOM Segmentation objects (SEG, BINARY or FRACTIONAL) for the masks in an analysis result: one
 * per source series and image size, each a new series in the source's study. Every distinct
 * finding label is a segment (AUTOMATIC, the model named as its algorithm, family "Artificial
 * Intelligence"); every non-empty mask is a frame that points at its source image (and frame)
 * through the Derivation Image functional group. Sources with a patient frame of reference (CT,
 * MR) keep it: pixel measures and orientation are shared, each frame carries its plane position.
 * Projection images (CR, DX) have none, and the segment number is the only dimension. A private
 * code (`99BTT`) used for a segment is declared in the Coding Scheme Identification Sequence.
 *
 * @param result - an `@btt/compute` analysis result.
 * @param options - `{ sources, type?, seriesNumber?, manufacturer?, at?, idempotencyKey? }`.
 * @returns one Part 10 file per series with masks; none when no present finding has a mask (a
 * SEG needs at least one segment and one frame, so a negative result has no SEG).
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for a malformed result or options;
 * `RESULT_ENCODING_FAILED` when an image with a mask is not among the readable `sources`, or a
 * FRACTIONAL SEG is asked for without probabilities.
 * @example
 * ```ts
 * import { analyze } from '@btt/compute'
 * import { createSegmentations } from '@btt/connectors'
 * const result = await analyze(files, { maskProbabilities: true })
 * const segs = createSegmentations(result, { sources: files, type: 'FRACTIONAL' })
 * ```
 */
export function createSegmentations(
  result: AnalysisResult,
  options: SegmentationOptions,
): Uint8Array[] {
  checkResultArguments(result, options, optionsSchema)
  const groups = maskedFindings(result)
  if (!groups.length) return []
  const needed = new Set(groups.flat().map((m) => m.image.sopInstanceUid))
  const sources = readSources(options.sources, needed)
  for (const { image } of groups.flat())
    if (!sources.has(image.sopInstanceUid))
      throw new ConnectorsError(
        'RESULT_ENCODING_FAILED',
        `Image ${image.sopInstanceUid} (${image.file}) has a mask but is not among the readable sources: give the analysed files as \`sources\`.`,
        { details: { sopInstanceUid: image.sopInstanceUid, file: image.file } },
      )
  return groups.map((group) => segmentation(result, group, sources, options))
}

import { BttError, defineErrorCodes, type ErrorCodeTable } from '@btt/core/errors'

/**
 * @btt/compute's closed table of error codes. Every error the package throws is a
 * {@link ComputeError} with one of these codes; structured facts (the file, a UID, expected and
 * actual values) are in `details`.
 */
export const computeErrorCodes = defineErrorCodes({
  COMPUTE_INVALID_ARGUMENT: {
    kind: 'invalid_input',
    description: 'An argument of an exported function has the wrong type, range or shape.',
  },
  COMPUTE_UNREADABLE_INPUT: {
    kind: 'io',
    description:
      'A study path could not be read: missing, unreadable, or a symbolic link loop (that entry fails, not the batch).',
  },
  COMPUTE_UNREADABLE_DICOM: {
    kind: 'invalid_input',
    description: 'A file is not DICOM that can be read: not Part 10, truncated or malformed.',
  },
  COMPUTE_MISSING_PIXEL_DATA: {
    kind: 'invalid_input',
    description: 'The DICOM object has no image pixel module (Rows, Columns, Pixel Data…).',
  },
  COMPUTE_INVALID_PIXEL_MODULE: {
    kind: 'invalid_input',
    description:
      'An Image Pixel Module attribute has a value PS3.3 C.7.6.3 does not allow (details name the attribute and value).',
  },
  COMPUTE_UNSUPPORTED_PIXEL_FORMAT: {
    kind: 'invalid_input',
    description:
      'Pixels the standard allows but compute does not decode (1- or 64-bit samples, palette colour, subsampled colour).',
  },
  COMPUTE_UNSUPPORTED_TRANSFER_SYNTAX: {
    kind: 'invalid_input',
    description: 'The transfer syntax is not one compute can decode.',
  },
  COMPUTE_TRANSCODE_FAILED: {
    kind: 'invalid_input',
    description: 'A compressed file could not be transcoded (corrupt or unsupported codestream).',
  },
  COMPUTE_WRONG_MODALITY: {
    kind: 'invalid_input',
    description: "The image's modality or body part is not one the model applies to.",
  },
  COMPUTE_UNREADABLE_MODEL: {
    kind: 'io',
    description: 'A model manifest or model file could not be read.',
  },
  COMPUTE_INVALID_MANIFEST: {
    kind: 'invalid_input',
    description: 'A model manifest is not valid JSON or did not pass its schema (issues by path).',
  },
  COMPUTE_MODEL_HASH_MISMATCH: {
    kind: 'integrity',
    description: "The model file's sha256 is not the one its manifest names.",
  },
  COMPUTE_MANIFEST_MISMATCH: {
    kind: 'invalid_input',
    description: "The manifest does not describe the model's real inputs and outputs.",
  },
  COMPUTE_BACKEND_UNAVAILABLE: {
    kind: 'unavailable',
    description: 'The backend asked for (cuda, webgpu, remote) is not available here.',
  },
  COMPUTE_INFERENCE_FAILED: {
    kind: 'internal',
    description: 'onnxruntime failed while running the model; its error is the cause.',
  },
  COMPUTE_NETWORK_UNAVAILABLE: {
    kind: 'unavailable',
    description:
      'The coordinator or a node could not be reached, answered an error, or no node can run the job.',
  },
  COMPUTE_NETWORK_TIMEOUT: {
    kind: 'timeout',
    description: 'A coordinator or node exchange did not finish within its timeout.',
  },
  COMPUTE_BAD_REQUEST: {
    kind: 'invalid_input',
    description:
      'A network message is malformed, oversized or of the wrong content type (details say why).',
  },
  COMPUTE_UNAUTHORIZED: {
    kind: 'unauthorized',
    description: 'An API key or a node signature was missing or not accepted.',
  },
  COMPUTE_UNKNOWN_MODEL: {
    kind: 'not_found',
    description: 'A node was asked to run a model hash it does not hold.',
  },
  COMPUTE_RECEIPT_INVALID: {
    kind: 'integrity',
    description:
      'A job receipt failed a check: signature, job id, model hash, nonce (lease) or output hash.',
  },
  COMPUTE_JOB_FAILED: {
    kind: 'unavailable',
    description:
      'A job failed on every node it was tried on and is dead-lettered; details give each attempt.',
  },
  COMPUTE_STATEMENT_MISMATCH: {
    kind: 'integrity',
    description:
      'An epoch statement does not match the one recomputed from its receipts (details list each difference).',
  },
  COMPUTE_STORE_FAILED: {
    kind: 'io',
    description:
      "The coordinator's store folder or database cannot be created or opened (the path and the system's reason in details).",
  },
  COMPUTE_NOT_A_STORE: {
    kind: 'conflict',
    description:
      "The coordinator's database file holds another program's tables; it is left untouched.",
  },
  COMPUTE_UNEXPECTED: {
    kind: 'internal',
    description: 'Something was thrown that compute did not expect; the original is the cause.',
  },
})

export type ComputeErrorCode = keyof typeof computeErrorCodes

/**
 * The error @btt/compute throws: `new ComputeError(code, message, { cause, details })`, `code`
 * from {@link computeErrorCodes}.
 *
 * @example
 * ```ts
 * import { ComputeError, decodeDicom } from '@btt/compute'
 * try {
 *   await decodeDicom(new Uint8Array(10), 'x.dcm')
 * } catch (error) {
 *   if (error instanceof ComputeError) console.log(error.code, error.details) // COMPUTE_UNREADABLE_DICOM { file: 'x.dcm', … }
 * }
 * ```
 */
export class ComputeError extends BttError<ComputeErrorCode> {
  static override codes: ErrorCodeTable = computeErrorCodes
  override name = 'ComputeError'
}

/**
 * Anything caught, as a {@link ComputeError} or another BTT error: BTT errors pass through,
 * anything else becomes `COMPUTE_UNEXPECTED` with the original as `cause`.
 *
 * @param error - whatever was caught.
 * @param details - facts to attach when wrapping (e.g. the file).
 * @returns a BTT error.
 */
export function toComputeError(error: unknown, details?: Record<string, unknown>): BttError {
  if (error instanceof BttError) return error
  const message = error instanceof Error ? error.message : `Non-error thrown: ${String(error)}`
  return new ComputeError('COMPUTE_UNEXPECTED', message, { cause: error, details })
}

import { BaseError } from '@btt/core'

/** A DICOM file could not be read: not Part 10, truncated, or malformed. */
export class DicomParseError extends BaseError {
  override name = 'DicomParseError' as const
  readonly file: string
  constructor(file: string, reason: string, cause?: unknown) {
    super(`${file}: not a readable DICOM file: ${reason}.`, { cause })
    this.file = file
  }
}
export type DicomParseErrorType = DicomParseError

/** The DICOM object has no image pixel module (no Rows/Columns/PixelData…). */
export class MissingPixelDataError extends BaseError {
  override name = 'MissingPixelDataError' as const
  readonly file: string
  constructor(file: string, missing: readonly string[]) {
    super(`${file}: no image pixel data (missing ${missing.join(', ')}).`)
    this.file = file
  }
}
export type MissingPixelDataErrorType = MissingPixelDataError

/** The transfer syntax is not one we can decode. */
export class UnsupportedTransferSyntaxError extends BaseError {
  override name = 'UnsupportedTransferSyntaxError' as const
  readonly file: string
  readonly transferSyntaxUid: string
  constructor(file: string, uid: string) {
    super(`${file}: transfer syntax ${uid} is not supported.`, {
      metaMessages: [
        'Supported: implicit/explicit VR little endian, explicit big endian, RLE, JPEG baseline/lossless, JPEG-LS, JPEG 2000, HTJ2K, JPEG XL.',
      ],
    })
    this.file = file
    this.transferSyntaxUid = uid
  }
}
export type UnsupportedTransferSyntaxErrorType = UnsupportedTransferSyntaxError

/** The study's modality (or body part) is not one the model applies to. */
export class WrongModalityError extends BaseError {
  override name = 'WrongModalityError' as const
  readonly file: string
  constructor(file: string, got: string, expected: readonly string[], what = 'modality') {
    super(`${file}: ${what} "${got}" is not one this model applies to (${expected.join(', ')}).`)
    this.file = file
  }
}
export type WrongModalityErrorType = WrongModalityError

/** The model file's sha256 is not the one its manifest names. */
export class ModelHashMismatchError extends BaseError {
  override name = 'ModelHashMismatchError' as const
  constructor(file: string, expected: string, actual: string) {
    super(`${file}: sha256 ${actual} does not match the manifest's ${expected}.`, {
      metaMessages: [
        'The model file changed or is not the one the manifest describes; refusing to run it.',
      ],
    })
  }
}
export type ModelHashMismatchErrorType = ModelHashMismatchError

/** The manifest does not describe the model's actual inputs/outputs. */
export class ManifestMismatchError extends BaseError {
  override name = 'ManifestMismatchError' as const
  readonly problems: readonly string[]
  constructor(file: string, problems: readonly string[]) {
    super(`${file}: the manifest does not match the model.`, {
      metaMessages: problems.map((p) => `- ${p}`),
    })
    this.problems = problems
  }
}
export type ManifestMismatchErrorType = ManifestMismatchError

/** A backend was asked for and is not available here. */
export class BackendUnavailableError extends BaseError {
  override name = 'BackendUnavailableError' as const
  readonly backend: string
  constructor(backend: string, reason: string) {
    super(`Backend "${backend}" is not available: ${reason}.`)
    this.backend = backend
  }
}
export type BackendUnavailableErrorType = BackendUnavailableError

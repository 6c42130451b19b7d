import { BaseError } from '@btt/core'

/** A DICOM file could not be read or written for de-identification. */
export class DeidentificationError extends BaseError {
  override name = 'DeidentificationError' as const
  readonly file: string
  constructor(file: string, reason: string, cause?: unknown) {
    super(`${file}: cannot de-identify: ${reason}.`, { cause })
    this.file = file
  }
}
export type DeidentificationErrorType = DeidentificationError

/** The pseudonym vault could not be opened or used. */
export class VaultError extends BaseError {
  override name = 'VaultError' as const
  constructor(reason: string, cause?: unknown) {
    super(`Pseudonym vault: ${reason}.`, { cause })
  }
}
export type VaultErrorType = VaultError

/** A DICOMweb request failed: the status, the URL and what the server said. */
export class DicomwebError extends BaseError {
  override name = 'DicomwebError' as const
  readonly status: number
  readonly url: string
  constructor(parameters: { status: number; url: string; body?: string; reason?: string }) {
    super(
      `DICOMweb ${parameters.status ? `HTTP ${parameters.status}` : 'request failed'} for ${parameters.url}${parameters.reason ? `: ${parameters.reason}` : ''}.`,
      {
        ...(parameters.body ? { details: parameters.body.slice(0, 500) } : {}),
      },
    )
    this.status = parameters.status
    this.url = parameters.url
  }
}
export type DicomwebErrorType = DicomwebError

/** A DICOM result (SR, Secondary Capture) cannot be built from what was given. */
export class ResultEncodingError extends BaseError {
  override name = 'ResultEncodingError' as const
}
export type ResultEncodingErrorType = ResultEncodingError

/** The PACS flow's job store could not be opened. */
export class JobStoreError extends BaseError {
  override name = 'JobStoreError' as const
}
export type JobStoreErrorType = JobStoreError

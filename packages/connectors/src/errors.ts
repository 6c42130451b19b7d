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

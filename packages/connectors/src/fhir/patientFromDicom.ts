import dicomParser from 'dicom-parser'
import { ConnectorsError } from '../errors.js'

/** Identifier system for a DICOM Patient ID without an issuer. */
export const DICOM_PATIENT_ID_SYSTEM = 'urn:dicom:patient-id'

/**
 * The patient identifier a DICOM file carries: Patient ID (0010,0020), its system the Issuer of
 * Patient ID (0010,0021) as `urn:dicom:issuer:<issuer>` when present, else `urn:dicom:patient-id`.
 *
 * @param bytes - a DICOM Part 10 file.
 * @returns `{ system, value }`.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` when the file has no Patient ID.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { patientFromDicom } from '@btt/connectors/ehr'
 * patientFromDicom(readFileSync('study/image.dcm'))
 * ```
 */
export function patientFromDicom(bytes: Uint8Array): { system: string; value: string } {
  let id: string | undefined
  let issuer: string | undefined
  try {
    const d = dicomParser.parseDicom(bytes, { untilTag: 'x00100022' })
    id = d.string('x00100020')?.trim()
    issuer = d.string('x00100021')?.trim()
  } catch (cause) {
    throw new ConnectorsError(
      'CONNECTORS_INVALID_ARGUMENT',
      'Cannot read the Patient ID of a DICOM file.',
      { cause },
    )
  }
  if (!id)
    throw new ConnectorsError('CONNECTORS_INVALID_ARGUMENT', 'The DICOM file has no Patient ID.', {
      details: {},
    })
  return {
    system: issuer ? `urn:dicom:issuer:${encodeURIComponent(issuer)}` : DICOM_PATIENT_ID_SYSTEM,
    value: id,
  }
}

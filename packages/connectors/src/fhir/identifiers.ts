import { createHash } from 'node:crypto'

/**
 * Identifier system for BTT's deterministic resource identifiers (a bare UUID: some servers
 * rewrite every `urn:uuid:` string of a transaction that equals an entry's fullUrl).
 */
export const URI_SYSTEM = 'https://btt.health/fhir/sid/result-id'
/** Identifier system for DICOM UIDs (`urn:oid:…` values), as FHIR's ImagingStudy uses. */
export const DICOM_UID_SYSTEM = 'urn:dicom:uid'
/** Identifier system of a model's SHA-256. */
export const MODEL_SHA256_SYSTEM = 'https://btt.health/fhir/sid/model-sha256'

/**
 * A name-based UUID (version 8, from SHA-256) as `urn:uuid:…`: the same text gives the same
 * identifier, so a result sent again finds the resources it wrote before.
 */
export function deterministicUuid(text: string): string {
  const b = createHash('sha256').update(text).digest().subarray(0, 16)
  b[6] = (b[6]! & 0x0f) | 0x80
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** The bare UUID of a `urn:uuid:` identifier. */
export const bareUuid = (urn: string) => urn.replace(/^urn:uuid:/, '')

/** `Type?identifier=system|value`, for conditional create and update. */
export function identifierQuery(type: string, system: string, value: string): string {
  return `${type}?identifier=${encodeURIComponent(`${system}|${value}`)}`
}

/** A DICOM JSON object (PS3.18 F.2): tag → { vr, Value }. */
export type DicomJson = Record<string, { vr: string; Value?: unknown[] }>

/** First value of a tag in a DICOM JSON object. */
export function jsonValue(object: DicomJson, tag: string): unknown {
  const v = object[tag]?.Value?.[0]
  return typeof v === 'object' && v !== null && 'Alphabetic' in v
    ? (v as { Alphabetic: string }).Alphabetic
    : v
}

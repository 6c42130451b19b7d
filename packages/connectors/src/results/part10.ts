/// <reference path="../types/dcmjs.d.ts" />
/// <reference path="../types/dicom-parser.d.ts" />
import { createHash } from 'node:crypto'
import dcmjs from 'dcmjs'
import dicomParser from 'dicom-parser'

const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1398.1'

/** Patient and General Study module attributes for a new object in the source's study. */
export function patientAndStudy(
  src: Record<string, unknown>,
  studyInstanceUid = src.StudyInstanceUID,
) {
  return {
    PatientName: src.PatientName ?? '',
    PatientID: src.PatientID ?? '',
    PatientBirthDate: src.PatientBirthDate ?? '',
    PatientSex: src.PatientSex ?? '',
    StudyInstanceUID: studyInstanceUid,
    StudyDate: src.StudyDate ?? '',
    StudyTime: src.StudyTime ?? '',
    ReferringPhysicianName: src.ReferringPhysicianName ?? '',
    StudyID: src.StudyID ?? '',
    AccessionNumber: src.AccessionNumber ?? '',
  }
}

/**
 * A naturalized dataset written as a Part 10 file (explicit VR little endian) with its file meta.
 * UTF-8 (ISO_IR 192) is declared only when a value needs more than the default repertoire (e.g. a
 * Chinese patient name).
 */
export function writePart10(dataset: Record<string, unknown>): Uint8Array {
  if (/[^\x20-\x7e]/.test(JSON.stringify(dataset))) dataset.SpecificCharacterSet = 'ISO_IR 192'
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    _vrMap: { FileMetaInformationVersion: 'OB' },
  }
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta))
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset)
  return new Uint8Array(dict.write())
}

/** What every result object (SR, SEG) is made from and stamped with. */
export type ResultObjectOptions = {
  /** The analysed DICOM files: patient and study (and, for SEG, geometry) are copied from them. */
  sources: readonly Uint8Array[]
  /** Manufacturer (0008,0070) of the new object; `BTT` when omitted. */
  manufacturer?: string
  /** When the object is created; now when omitted. */
  at?: Date
  /**
   * Derive the new Series and SOP Instance UIDs from this key instead of making new ones: the same
   * key gives the same UIDs, so storing an object made again replaces it rather than adding a
   * second one (the PACS flow uses study + instances + model hash).
   */
  idempotencyKey?: string
}

/** The attributes of a DICOM file, naturalized by dcmjs (stops before Pixel Data). */
export function naturalize(bytes: Uint8Array): Record<string, unknown> {
  const d = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    { untilTag: '7FE00010', includeUntilTagValue: false },
  )
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(d.dict)
}

/** DICOM DA and TM values of an instant (UTC). */
export function dateTime(at: Date) {
  const iso = at.toISOString()
  return { date: iso.slice(0, 10).replaceAll('-', ''), time: iso.slice(11, 19).replaceAll(':', '') }
}

/** A new UID (2.25 form). */
export const newUid = () => dcmjs.data.DicomMetaDictionary.uid()

/**
 * A UID (2.25 form) that is the same for the same text: a name-based UUID (version 8, from
 * SHA-256) as an integer. For results that must keep their UIDs when made again.
 */
export function uidFrom(text: string): string {
  const b = createHash('sha256').update(text).digest().subarray(0, 16)
  b[6] = (b[6]! & 0x0f) | 0x80 // version 8
  b[8] = (b[8]! & 0x3f) | 0x80 // RFC 4122 variant
  return `2.25.${BigInt(`0x${b.toString('hex')}`).toString()}`
}

/** A new SOP Instance / Series UID pair, or one derived from `key` (the same key, the same UIDs). */
export function resultUids(key: string | undefined) {
  return key
    ? { series: uidFrom(`${key}|series`), instance: uidFrom(`${key}|instance`) }
    : { series: newUid(), instance: newUid() }
}

export { IMPLEMENTATION_CLASS_UID }

/** SOP Class and Instance UIDs from a file's meta header (empty strings when unreadable). */
export function fileMeta(bytes: Uint8Array): { sopClassUid: string; sopInstanceUid: string } {
  try {
    const meta = dicomParser.parseDicom(bytes, { untilTag: 'x00020010' })
    return {
      sopClassUid: meta.string('x00020002')?.trim() ?? '',
      sopInstanceUid: meta.string('x00020003')?.trim() ?? '',
    }
  } catch {
    return { sopClassUid: '', sopInstanceUid: '' }
  }
}

/**
 * The attributes of the readable sources, by SOP Instance UID; only those in `wanted` when given
 * (a CT series may have hundreds). A source that cannot be read is left out: the analysis has
 * already reported it as a failure, and an image that is needed but missing is the caller's error.
 */
export function readSources(
  sources: readonly Uint8Array[],
  wanted?: ReadonlySet<string>,
): Map<string, Record<string, unknown>> {
  const read = new Map<string, Record<string, unknown>>()
  for (const bytes of sources) {
    const uid = fileMeta(bytes).sopInstanceUid
    if (uid && wanted && !wanted.has(uid)) continue
    let ds: Record<string, unknown>
    try {
      ds = naturalize(bytes)
    } catch {
      continue
    }
    const sop = String(ds.SOPInstanceUID ?? '')
    if (sop && (!wanted || wanted.has(sop))) read.set(sop, ds)
  }
  return read
}

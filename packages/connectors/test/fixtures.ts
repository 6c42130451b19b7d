/// <reference path="../src/types/dcmjs.d.ts" />

import { syntheticChest, writeDicom } from '@btt/compute/testing'
import dcmjs from 'dcmjs'

export const PATIENT = { name: 'Zhang^Wei^Ming', id: 'MRN-4471923', birth: '19640219' }

const nextSop = (sop: string) => sop.replace(/\.(\d+)$/, (_, n) => `.${Number(n) + 1}`)

/** A DX instance full of identifying attributes, nested sequences and a private block. */
export function identifyingInstance(o: {
  study: string
  series: string
  sop: string
  seed?: number
}) {
  return writeDicom({
    frames: [syntheticChest({ seed: o.seed ?? 1, size: 128 })],
    rows: 128,
    columns: 128,
    studyInstanceUid: o.study,
    seriesInstanceUid: o.series,
    sopInstanceUid: o.sop,
    patientName: PATIENT.name,
    patientId: PATIENT.id,
    extra: {
      PatientBirthDate: PATIENT.birth,
      PatientSex: 'F',
      PatientAge: '061Y',
      PatientWeight: 58,
      InstitutionName: 'Shanghai General Hospital',
      InstitutionAddress: '100 Haining Road, Shanghai',
      StationName: 'DX-ROOM-3',
      DeviceSerialNumber: 'SN-998877',
      ReferringPhysicianName: 'Li^Hua',
      OperatorsName: 'Chen^Jie',
      StudyDescription: `Chest PA for Zhang Wei, MRN-4471923`,
      SeriesDescription: 'PA view',
      StudyDate: '20260301',
      SeriesDate: '20260301',
      AcquisitionDateTime: '20260301101500',
      StudyTime: '101500',
      StudyID: 'S-77',
      FrameOfReferenceUID: '1.2.826.0.1.3680043.10.1398.7.42',
      ReferencedStudySequence: [
        {
          ReferencedSOPClassUID: '1.2.840.10008.3.1.2.3.1',
          ReferencedSOPInstanceUID: `${o.study}.9`,
        },
      ],
      // each image references the next one of the series
      ReferencedImageSequence: [
        {
          ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.1.1',
          ReferencedSOPInstanceUID: nextSop(o.sop),
        },
      ],
      RequestAttributesSequence: [
        {
          RequestedProcedureID: 'RP-1',
          ScheduledProcedureStepID: 'SPS-1',
          ReasonForTheRequestedProcedure: 'cough, patient Zhang',
          ReferencedStudySequence: [
            {
              ReferencedSOPClassUID: '1.2.840.10008.3.1.2.3.1',
              ReferencedSOPInstanceUID: `${o.study}.10`,
            },
          ],
        },
      ],
    },
  })
}

/**
 * Adds a private block to a file: creator "ACME 1.0" at (0009,0010), an identifying string at
 * (0009,1001) and a harmless number at (0009,1002).
 */
export function withPrivateBlock(bytes: Uint8Array): Uint8Array {
  const dict = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  )
  dict.dict['00090010'] = { vr: 'LO', Value: ['ACME 1.0'] }
  dict.dict['00091001'] = { vr: 'LO', Value: ['Zhang Wei home phone 555-0100'] }
  dict.dict['00091002'] = { vr: 'DS', Value: ['1.5'] }
  return new Uint8Array(dict.write())
}

type El = { vr: string; Value?: unknown[] }
/** The file's dataset as dcmjs reads it (tags as keys). */
export function datasetOf(bytes: Uint8Array): {
  meta: Record<string, El>
  dict: Record<string, El>
} {
  const d = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  )
  return { meta: d.meta as Record<string, El>, dict: d.dict as Record<string, El> }
}
/** First value of a tag (any case of hex digits; dcmjs uses upper case). */
export const value = (ds: Record<string, El>, tag: string) => {
  const v = (ds[tag] ?? ds[tag.toUpperCase()])?.Value?.[0]
  return typeof v === 'object' && v !== null && 'Alphabetic' in v
    ? (v as { Alphabetic: string }).Alphabetic
    : v
}

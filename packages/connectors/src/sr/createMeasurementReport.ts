/// <reference path="../types/dcmjs.d.ts" />
import type { AnalysisResult } from '@btt/compute'
import { ResultEncodingError } from '../errors.js'
import {
  code,
  DCM,
  dateTime,
  fromCoding,
  IMPLEMENTATION_CLASS_UID,
  localCode,
  naturalize,
  newUid,
  patientAndStudy,
  type ResultObjectOptions,
  resultUids,
  writePart10,
} from './part10.js'

const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33'
/** Probability of a finding from a model: no standard concept exists, so a local one (scheme 99BTT). */
const PROBABILITY = code('P-0001', '99BTT', 'Model probability of finding')

export type MeasurementReportOptions = ResultObjectOptions & {
  /**
   * The imaging procedure reported on (TID 1500 "Procedure reported"); when omitted, from the
   * first source's modality and body part: chest X-ray, CT, MR, or SNOMED "Imaging".
   */
  procedure?: { system: string; code: string; display: string }
}

/** A SNOMED CT code for the procedure that made `src` (CID 100 style), from its modality. */
function procedureOf(src: Record<string, unknown>) {
  const modality = String(src.Modality ?? '')
  const body = String(src.BodyPartExamined ?? '').toUpperCase()
  if ((modality === 'CR' || modality === 'DX') && body === 'CHEST')
    return code('168731009', 'SCT', 'Chest X-ray')
  if (modality === 'CR' || modality === 'DX')
    return code('363680008', 'SCT', 'Radiographic imaging procedure')
  if (modality === 'CT') return code('77477000', 'SCT', 'Computed tomography')
  if (modality === 'MR') return code('113091000', 'SCT', 'Magnetic resonance imaging')
  return code('363679005', 'SCT', 'Imaging')
}

type Dataset = Record<string, unknown>

/**
 * A DICOM Comprehensive SR "Imaging Measurement Report" (TID 1500) for an analysis result: the
 * image library lists the source images; each present finding is a Measurement Group with a
 * tracking identifier and UID, the finding (its SNOMED code), the model's probability, the image
 * region (a box, SELECTED FROM its image) and the algorithm identification (TID 4019: name,
 * version, and the model's sha256 as its parameters). Patient and study come from the sources;
 * the SR is a new series in the same study, listing its evidence.
 *
 * @returns the SR as a Part 10 file.
 */
export function createMeasurementReport(
  result: AnalysisResult,
  options: MeasurementReportOptions,
): Uint8Array {
  const first = options.sources[0]
  if (!first)
    throw new ResultEncodingError(
      'No source images to report on: give the analysed files as `sources`.',
    )
  const src = naturalize(first)
  const uid = newUid
  const at = options.at ?? new Date()
  const { date, time } = dateTime(at)
  const uids = resultUids(options.idempotencyKey)
  const sopInstanceUid = uids.instance
  const images = result.images
  const imageRef = (i: (typeof images)[number]) => ({
    ReferencedSOPClassUID: i.sopClassUid,
    ReferencedSOPInstanceUID: i.sopInstanceUid,
    ...(i.frame ? { ReferencedFrameNumber: i.frame + 1 } : {}),
  })
  const algorithm = [
    {
      RelationshipType: 'HAS CONCEPT MOD',
      ValueType: 'TEXT',
      ConceptNameCodeSequence: [DCM('111001', 'Algorithm Name')],
      TextValue: result.model.name.slice(0, 64),
    },
    {
      RelationshipType: 'HAS CONCEPT MOD',
      ValueType: 'TEXT',
      ConceptNameCodeSequence: [DCM('111003', 'Algorithm Version')],
      TextValue: result.model.version,
    },
    {
      RelationshipType: 'HAS CONCEPT MOD',
      ValueType: 'TEXT',
      ConceptNameCodeSequence: [DCM('111002', 'Algorithm Parameters')],
      TextValue: `model sha256 ${result.model.sha256}; backend ${result.backend.name}`,
    },
  ]
  let n = 0
  const groups = images.flatMap((image) =>
    image.findings
      .filter((f) => f.present)
      .map((f) => {
        n++
        const finding = f.code ? fromCoding(f.code) : localCode(f.label)
        const items: Dataset[] = [
          {
            RelationshipType: 'HAS OBS CONTEXT',
            ValueType: 'TEXT',
            ConceptNameCodeSequence: [DCM('112039', 'Tracking Identifier')],
            TextValue: `${f.label}-${n}`,
          },
          {
            RelationshipType: 'HAS OBS CONTEXT',
            ValueType: 'UIDREF',
            ConceptNameCodeSequence: [DCM('112040', 'Tracking Unique Identifier')],
            UID: uid(),
          },
          {
            RelationshipType: 'CONTAINS',
            ValueType: 'CODE',
            ConceptNameCodeSequence: [DCM('121071', 'Finding')],
            ConceptCodeSequence: [finding],
          },
          ...algorithm,
          {
            RelationshipType: 'CONTAINS',
            ValueType: 'NUM',
            ConceptNameCodeSequence: [PROBABILITY],
            MeasuredValueSequence: [
              {
                NumericValue: f.probability.toFixed(6),
                MeasurementUnitsCodeSequence: [code('1', 'UCUM', 'no units')],
              },
            ],
          },
        ]
        if (f.box) {
          const { x, y, width, height } = f.box
          items.push({
            RelationshipType: 'CONTAINS',
            ValueType: 'SCOORD',
            ConceptNameCodeSequence: [DCM('111030', 'Image Region')],
            GraphicType: 'POLYLINE',
            GraphicData: [x, y, x + width, y, x + width, y + height, x, y + height, x, y],
            ContentSequence: [
              {
                RelationshipType: 'SELECTED FROM',
                ValueType: 'IMAGE',
                ReferencedSOPSequence: [imageRef(image)],
              },
            ],
          })
        }
        return {
          RelationshipType: 'CONTAINS',
          ValueType: 'CONTAINER',
          ConceptNameCodeSequence: [DCM('125007', 'Measurement Group')],
          ContinuityOfContent: 'SEPARATE',
          ContentSequence: items,
        }
      }),
  )
  const content: Dataset[] = [
    {
      RelationshipType: 'HAS CONCEPT MOD',
      ValueType: 'CODE',
      ConceptNameCodeSequence: [DCM('121049', 'Language of Content Item and Descendants')],
      ConceptCodeSequence: [code('en-US', 'RFC5646', 'English (United States)')],
    },
    {
      RelationshipType: 'HAS OBS CONTEXT',
      ValueType: 'CODE',
      ConceptNameCodeSequence: [DCM('121005', 'Observer Type')],
      ConceptCodeSequence: [DCM('121007', 'Device')],
    },
    {
      RelationshipType: 'HAS OBS CONTEXT',
      ValueType: 'UIDREF',
      ConceptNameCodeSequence: [DCM('121012', 'Device Observer UID')],
      UID: IMPLEMENTATION_CLASS_UID,
    },
    {
      RelationshipType: 'HAS OBS CONTEXT',
      ValueType: 'TEXT',
      ConceptNameCodeSequence: [DCM('121013', 'Device Observer Name')],
      TextValue: result.model.id,
    },
    {
      RelationshipType: 'HAS CONCEPT MOD',
      ValueType: 'CODE',
      ConceptNameCodeSequence: [DCM('121058', 'Procedure reported')],
      ConceptCodeSequence: [options.procedure ? fromCoding(options.procedure) : procedureOf(src)],
    },
    {
      RelationshipType: 'CONTAINS',
      ValueType: 'CONTAINER',
      ConceptNameCodeSequence: [DCM('111028', 'Image Library')],
      ContinuityOfContent: 'SEPARATE',
      ContentSequence: [
        {
          RelationshipType: 'CONTAINS',
          ValueType: 'CONTAINER',
          ConceptNameCodeSequence: [DCM('126200', 'Image Library Group')],
          ContinuityOfContent: 'SEPARATE',
          ContentSequence: images.map((i) => ({
            RelationshipType: 'CONTAINS',
            ValueType: 'IMAGE',
            ReferencedSOPSequence: [imageRef(i)],
          })),
        },
      ],
    },
    {
      RelationshipType: 'CONTAINS',
      ValueType: 'CONTAINER',
      ConceptNameCodeSequence: [DCM('126010', 'Imaging Measurements')],
      ContinuityOfContent: 'SEPARATE',
      ContentSequence: groups,
    },
  ]
  const series = new Map<string, (typeof images)[number][]>()
  for (const i of images)
    series.set(i.seriesInstanceUid, [...(series.get(i.seriesInstanceUid) ?? []), i])
  const dataset: Dataset = {
    // Patient and General Study modules, from the source
    ...patientAndStudy(src),
    // SR Document Series
    Modality: 'SR',
    SeriesInstanceUID: uids.series,
    SeriesNumber: 900,
    SeriesDescription: `AI results: ${result.model.name}`.slice(0, 64),
    ReferencedPerformedProcedureStepSequence: [],
    // General Equipment
    Manufacturer: options.manufacturer ?? 'BTT',
    ManufacturerModelName: result.model.id.slice(0, 64),
    SoftwareVersions: result.model.version,
    // SR Document General
    InstanceNumber: 1,
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ContentDate: date,
    ContentTime: time,
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: src.StudyInstanceUID,
        ReferencedSeriesSequence: [...series].map(([seriesUid, list]) => ({
          SeriesInstanceUID: seriesUid,
          ReferencedSOPSequence: [...new Map(list.map((i) => [i.sopInstanceUid, i])).values()].map(
            (i) => ({
              ReferencedSOPClassUID: i.sopClassUid,
              ReferencedSOPInstanceUID: i.sopInstanceUid,
            }),
          ),
        })),
      },
    ],
    // SR Document Content (TID 1500 root)
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [DCM('126000', 'Imaging Measurement Report')],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ContentSequence: content,
    // SOP Common; the local coding scheme declared (PS3.3 C.12.1.1.3.1)
    CodingSchemeIdentificationSequence: [
      {
        CodingSchemeDesignator: '99BTT',
        CodingSchemeName: 'BTT SDK local codes',
        CodingSchemeResponsibleOrganization: 'BTT',
      },
    ],
    SOPClassUID: COMPREHENSIVE_SR,
    SOPInstanceUID: sopInstanceUid,
  }
  // declare UTF-8 only when a value needs more than the default repertoire (e.g. Chinese names)
  if (/[^\x20-\x7e]/.test(JSON.stringify(dataset))) dataset.SpecificCharacterSet = 'ISO_IR 192'
  return writePart10(dataset)
}

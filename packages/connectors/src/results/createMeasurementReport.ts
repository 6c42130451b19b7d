/// <reference path="../types/dcmjs.d.ts" />
import type { AnalysisResult } from '@btt/compute'
import { ConnectorsError } from '../errors.js'
import {
  type Code,
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
type Image = AnalysisResult['images'][number]

/** An SR content item: relationship, value type and concept name, then its value attributes. */
const item = (RelationshipType: string, ValueType: string, concept: Code, value: Dataset) => ({
  RelationshipType,
  ValueType,
  ConceptNameCodeSequence: [concept],
  ...value,
})
const text = (relationship: string, concept: Code, value: string) =>
  item(relationship, 'TEXT', concept, { TextValue: value })
const coded = (relationship: string, concept: Code, value: Code) =>
  item(relationship, 'CODE', concept, { ConceptCodeSequence: [value] })
const container = (concept: Code, children: Dataset[]) =>
  item('CONTAINS', 'CONTAINER', concept, {
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: children,
  })
/** An IMAGE item (no concept name) referencing an analysed image, and its frame if multi-frame. */
const imageItem = (RelationshipType: string, i: Image) => ({
  RelationshipType,
  ValueType: 'IMAGE',
  ReferencedSOPSequence: [
    {
      ReferencedSOPClassUID: i.sopClassUid,
      ReferencedSOPInstanceUID: i.sopInstanceUid,
      ...(i.frame ? { ReferencedFrameNumber: i.frame + 1 } : {}),
    },
  ],
})

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
    throw new ConnectorsError(
      'RESULT_ENCODING_FAILED',
      'No source images to report on: give the analysed files as `sources`.',
    )
  const src = naturalize(first)
  const at = options.at ?? new Date()
  const { date, time } = dateTime(at)
  const uids = resultUids(options.idempotencyKey)
  const sopInstanceUid = uids.instance
  const images = result.images
  const algorithm = [
    text('HAS CONCEPT MOD', DCM('111001', 'Algorithm Name'), result.model.name.slice(0, 64)),
    text('HAS CONCEPT MOD', DCM('111003', 'Algorithm Version'), result.model.version),
    text(
      'HAS CONCEPT MOD',
      DCM('111002', 'Algorithm Parameters'),
      `model sha256 ${result.model.sha256}; backend ${result.backend.name}`,
    ),
  ]
  let n = 0
  const groups = images.flatMap((image) =>
    image.findings
      .filter((f) => f.present)
      .map((f) => {
        n++
        const items: Dataset[] = [
          text('HAS OBS CONTEXT', DCM('112039', 'Tracking Identifier'), `${f.label}-${n}`),
          item('HAS OBS CONTEXT', 'UIDREF', DCM('112040', 'Tracking Unique Identifier'), {
            UID: newUid(),
          }),
          coded(
            'CONTAINS',
            DCM('121071', 'Finding'),
            f.code ? fromCoding(f.code) : localCode(f.label),
          ),
          ...algorithm,
          item('CONTAINS', 'NUM', PROBABILITY, {
            MeasuredValueSequence: [
              {
                NumericValue: f.probability.toFixed(6),
                MeasurementUnitsCodeSequence: [code('1', 'UCUM', 'no units')],
              },
            ],
          }),
        ]
        if (f.box) {
          const { x, y, width, height } = f.box
          items.push(
            item('CONTAINS', 'SCOORD', DCM('111030', 'Image Region'), {
              GraphicType: 'POLYLINE',
              GraphicData: [x, y, x + width, y, x + width, y + height, x, y + height, x, y],
              ContentSequence: [imageItem('SELECTED FROM', image)],
            }),
          )
        }
        return container(DCM('125007', 'Measurement Group'), items)
      }),
  )
  const content: Dataset[] = [
    coded(
      'HAS CONCEPT MOD',
      DCM('121049', 'Language of Content Item and Descendants'),
      code('en-US', 'RFC5646', 'English (United States)'),
    ),
    coded('HAS OBS CONTEXT', DCM('121005', 'Observer Type'), DCM('121007', 'Device')),
    item('HAS OBS CONTEXT', 'UIDREF', DCM('121012', 'Device Observer UID'), {
      UID: IMPLEMENTATION_CLASS_UID,
    }),
    text('HAS OBS CONTEXT', DCM('121013', 'Device Observer Name'), result.model.id),
    coded(
      'HAS CONCEPT MOD',
      DCM('121058', 'Procedure reported'),
      options.procedure ? fromCoding(options.procedure) : procedureOf(src),
    ),
    container(DCM('111028', 'Image Library'), [
      container(
        DCM('126200', 'Image Library Group'),
        images.map((i) => imageItem('CONTAINS', i)),
      ),
    ]),
    container(DCM('126010', 'Imaging Measurements'), groups),
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

/// <reference path="../types/dcmjs.d.ts" />
import type { AnalysisResult } from '@btt/compute'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'
import { type Code, code, codingSchemes, DCM, fromCoding } from './codes.js'
import {
  dateTime,
  patientAndStudy,
  type ResultObjectOptions,
  readSources,
  resultUids,
  writePart10,
} from './part10.js'
import { reportContent } from './reportContent.js'
import { checkResultArguments, resultObjectOptionsShape } from './schemas.js'
import type { Dataset } from './srItems.js'

const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33'

export type MeasurementReportOptions = ResultObjectOptions & {
  /**
   * The imaging procedure reported on (TID 1500 "Procedure reported"); when omitted, from the
   * first source's modality and body part: chest X-ray, CT, MR, or SNOMED "Imaging".
   */
  procedure?: { system: string; code: string; display: string }
}

const optionsSchema = z.object({
  ...resultObjectOptionsShape,
  procedure: z
    .object({ system: z.string().min(1), code: z.string().min(1), display: z.string() })
    .optional(),
})

export type CreateMeasurementReportErrorType = ConnectorsError

/** A SNOMED CT code for the procedure that made `src` (CID 100 style), from its modality. */
function procedureOf(src: Dataset): Code {
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

const fail = (message: string, details: Record<string, unknown> = {}) =>
  new ConnectorsError('RESULT_ENCODING_FAILED', message, { details })

/**
 * A DICOM Comprehensive SR "Imaging Measurement Report" (TID 1500) for an analysis result: the
 * image library lists the analysed images; each present finding is a Measurement Group (tracking
 * identifier and UID, the finding's code, the model's probability, the image region SELECTED FROM
 * its image, the algorithm per TID 4019); every finding the model looks for is stated Present or
 * Absent under Qualitative Evaluations, so a negative result is a finding stated absent, never an
 * empty container. A partial analysis (some inputs failed) is Completion Flag PARTIAL, with the
 * count in Completion Flag Description. Patient and study come from the sources; the SR is a new
 * series in the same study, listing its evidence.
 *
 * @param result - an `@btt/compute` analysis result.
 * @param options - `{ sources, manufacturer?, at?, idempotencyKey?, procedure? }`.
 * @returns the SR as a Part 10 file.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for a malformed result or options;
 * `RESULT_ENCODING_FAILED` when nothing was analysed, no source is readable, or the result names
 * no finding.
 * @example
 * ```ts
 * import { analyze } from '@btt/compute'
 * import { createMeasurementReport } from '@btt/connectors'
 * const result = await analyze(files)
 * const sr = createMeasurementReport(result, { sources: files })
 * ```
 */
export function createMeasurementReport(
  result: AnalysisResult,
  options: MeasurementReportOptions,
): Uint8Array {
  checkResultArguments(result, options, optionsSchema)
  const failed = result.failures?.length ?? 0
  if (!result.images.length)
    throw fail(`Nothing was analysed (${failed} input(s) failed): an SR reports on images.`, {
      failures: failed,
    })
  // patient and study from the first analysed image's file (reading only that one), else any
  const first = readSources(options.sources, new Set([result.images[0]!.sopInstanceUid]))
  const src = [...first.values()][0] ?? [...readSources(options.sources).values()][0]
  if (!src)
    throw fail('No readable source image to report on: give the analysed files as `sources`.')
  const content = reportContent(
    result,
    options.procedure ? fromCoding(options.procedure) : procedureOf(src),
  )
  if (!content) throw fail('The result names no finding: there is nothing to report.')
  const uids = resultUids(options.idempotencyKey)
  const { date, time } = dateTime(options.at ?? new Date())
  const dataset: Dataset = {
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
    SoftwareVersions: result.model.version.slice(0, 64),
    // SR Document General
    InstanceNumber: 1,
    ...completion(failed),
    VerificationFlag: 'UNVERIFIED',
    ContentDate: date,
    ContentTime: time,
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: evidence(result, String(src.StudyInstanceUID)),
    // SR Document Content (TID 1500 root)
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [DCM('126000', 'Imaging Measurement Report')],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ContentSequence: content,
    // SOP Common
    SOPClassUID: COMPREHENSIVE_SR,
    SOPInstanceUID: uids.instance,
  }
  return writePart10({ ...dataset, ...codingSchemes(dataset) })
}

/** Completion Flag: PARTIAL, saying how many inputs failed, when the analysis was partial. */
function completion(failed: number): Dataset {
  if (!failed) return { CompletionFlag: 'COMPLETE' }
  return {
    CompletionFlag: 'PARTIAL',
    CompletionFlagDescription: `${failed} input${failed === 1 ? '' : 's'} could not be analysed`,
  }
}

/** Current Requested Procedure Evidence: every analysed instance, by series. */
function evidence(result: AnalysisResult, studyInstanceUid: string): Dataset[] {
  const series = new Map<string, Map<string, string>>()
  for (const i of result.images) {
    const instances = series.get(i.seriesInstanceUid) ?? new Map<string, string>()
    instances.set(i.sopInstanceUid, i.sopClassUid)
    series.set(i.seriesInstanceUid, instances)
  }
  return [
    {
      StudyInstanceUID: studyInstanceUid,
      ReferencedSeriesSequence: [...series].map(([seriesUid, instances]) => ({
        SeriesInstanceUID: seriesUid,
        ReferencedSOPSequence: [...instances].map(([uid, sopClass]) => ({
          ReferencedSOPClassUID: sopClass,
          ReferencedSOPInstanceUID: uid,
        })),
      })),
    },
  ]
}

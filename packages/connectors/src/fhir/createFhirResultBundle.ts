import type { AnalysisResult } from '@btt/compute'
import { parseWithCode } from '@btt/core'
import type {
  Bundle,
  BundleEntry,
  Coding,
  Device,
  ImagingStudy,
  Observation,
  Patient,
  Reference,
  Resource,
} from '@medplum/fhirtypes'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'
import { resultUids } from '../results/part10.js'
import { analysisResultSchema } from '../results/schemas.js'
import {
  bareUuid,
  DICOM_UID_SYSTEM,
  deterministicUuid,
  identifierQuery,
  MODEL_SHA256_SYSTEM,
  URI_SYSTEM,
} from './identifiers.js'
import { OVERLAY_SCALE_EXTENSION } from './overlayPng.js'
import {
  deviceResource,
  diagnosticReportResource,
  imagingStudyResource,
  observationResource,
} from './resultResources.js'

const coding = z.strictObject({
  system: z.string().min(1),
  code: z.string().min(1),
  display: z.string().optional(),
})

export const fhirResultOptionsSchema = z.strictObject({
  /** The patient: a reference the EHR gave (`Patient/123`), or an identifier (conditional create). */
  patient: z.union([
    z.strictObject({ reference: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/) }),
    z.strictObject({
      identifier: z.strictObject({ system: z.string().min(1), value: z.string().min(1) }),
    }),
  ]),
  /** The key the DICOM SR and SEG were written with: their UIDs, and every FHIR identifier, derive from it. */
  idempotencyKey: z.string().min(1).max(1000),
  /** The PACS's ImagingStudy, when the EHR has one; otherwise one is written (conditional on the Study UID). */
  imagingStudy: z
    .string()
    .regex(/^ImagingStudy\/[A-Za-z0-9\-.]{1,64}$/)
    .optional(),
  /** Body site of every finding (e.g. SNOMED 51185008 Thoracic structure). */
  bodySite: coding.optional(),
  /** The report's code (default LOINC 18748-4 Diagnostic imaging study). */
  reportCode: coding.optional(),
  modality: coding.optional(),
  /** An overlay image of the findings (PNG or JPEG bytes), attached as the report's presentedForm. */
  overlay: z
    .strictObject({
      contentType: z.enum(['image/png', 'image/jpeg']),
      bytes: z.instanceof(Uint8Array),
      /** Source pixels per overlay pixel (the boxes are in source pixels). */
      scale: z.number().int().min(1).max(64).default(1),
    })
    .optional(),
  /** When the result was issued (default now). */
  issued: z.date().optional(),
})

export type FhirResultOptions = z.input<typeof fhirResultOptionsSchema>
export type CreateFhirResultBundleErrorType = ConnectorsError

type Entry = BundleEntry & { fullUrl: string; resource: Resource }

const put = (fullUrl: string, resource: Resource, system: string, value: string): Entry => ({
  fullUrl,
  resource,
  request: { method: 'PUT', url: identifierQuery(resource.resourceType, system, value) },
})

/** SEG SOP Instance UIDs by source series, as createSegmentations derives them from the key. */
function segUids(result: AnalysisResult, key: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const i of result.images)
    if (i.findings.some((f) => f.present && f.mask))
      out.set(
        i.seriesInstanceUid,
        resultUids(`${key}|seg|${i.seriesInstanceUid}|${i.rows}x${i.columns}`).instance,
      )
  return out
}

/**
 * An analysis result as one FHIR R4 transaction Bundle: the model as a `Device`, an `ImagingStudy`
 * per study (or the PACS's, by reference), one `Observation` per finding (code, presence,
 * probability, body site, device, derived from the study and the DICOM SEG by identifier) and a
 * `DiagnosticReport` (identified also by the DICOM SR's SOP Instance UID) linking them to the
 * patient. Every entry is a conditional update on a deterministic identifier (`urn:uuid:` from the
 * idempotency key), so sending the Bundle again updates and never duplicates.
 *
 * @param result - an `@btt/compute` analysis result.
 * @param options - `{ patient, idempotencyKey, imagingStudy?, bodySite?, reportCode?, modality?, issued? }`.
 * @returns the transaction Bundle.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for an invalid result or options.
 * @example
 * ```ts
 * import { createFhirResultBundle } from '@btt/connectors/ehr'
 * declare const result: import('@btt/compute').AnalysisResult
 * const bundle = createFhirResultBundle(result, { patient: { reference: 'Patient/p1' }, idempotencyKey: 'study-1|model' })
 * ```
 */
export function createFhirResultBundle(result: AnalysisResult, options: FhirResultOptions): Bundle {
  parseWithCode(
    analysisResultSchema,
    result,
    'analysis result',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const o = parseWithCode(
    fhirResultOptionsSchema,
    options,
    'FHIR result options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const key = o.idempotencyKey
  const issued = (o.issued ?? new Date()).toISOString()
  const entries: Entry[] = []
  const subject = subjectOf(o, entries)
  const deviceUrl = deterministicUuid(`device|${result.model.sha256}`)
  entries.push(put(deviceUrl, deviceResource(result), MODEL_SHA256_SYSTEM, result.model.sha256))
  const device: Reference<Device> = { reference: deviceUrl }
  const studies = studiesOf(result, o, subject, entries)
  const segs = segUids(result, key)
  const bodySite = o.bodySite ? { coding: [coded(o.bodySite)] } : undefined
  const results: Reference<Observation>[] = []
  for (const image of result.images)
    for (const finding of image.findings) {
      const id = deterministicUuid(
        `${key}|observation|${image.sopInstanceUid}|${image.frame}|${finding.label}`,
      )
      const seg = finding.mask ? segs.get(image.seriesInstanceUid) : undefined
      const observation = observationResource(finding, image, {
        id,
        subject,
        device,
        study: studies.get(image.studyInstanceUid)!,
        ...(seg ? { seg } : {}),
        ...(bodySite ? { bodySite } : {}),
        issued,
      })
      entries.push(put(id, observation, URI_SYSTEM, bareUuid(id)))
      results.push({ reference: id })
    }
  const reportId = deterministicUuid(`${key}|report`)
  const code = {
    coding: [
      coded(
        o.reportCode ?? {
          system: 'http://loinc.org',
          code: '18748-4',
          display: 'Diagnostic imaging study',
        },
      ),
    ],
  }
  const report = diagnosticReportResource(result, {
    id: reportId,
    subject,
    study: studies.values().next().value!,
    sr: resultUids(key).instance,
    results,
    issued,
    code,
    ...(o.overlay
      ? {
          overlay: {
            contentType: o.overlay.contentType,
            data: Buffer.from(o.overlay.bytes).toString('base64'),
            title: 'AI findings overlay',
            extension: [{ url: OVERLAY_SCALE_EXTENSION, valueInteger: o.overlay.scale }],
          },
        }
      : {}),
  })
  entries.push(put(reportId, report, URI_SYSTEM, bareUuid(reportId)))
  return { resourceType: 'Bundle', type: 'transaction', entry: entries }
}

type Options = z.output<typeof fhirResultOptionsSchema>

const coded = (c: { system: string; code: string; display?: string | undefined }): Coding => ({
  system: c.system,
  code: c.code,
  ...(c.display ? { display: c.display } : {}),
})

/** The subject reference; a Patient conditional create when the patient is given by identifier. */
function subjectOf(o: Options, entries: Entry[]): Reference<Patient> {
  if ('reference' in o.patient) return { reference: o.patient.reference }
  const fullUrl = deterministicUuid(`${o.idempotencyKey}|patient`)
  const { system, value } = o.patient.identifier
  entries.push({
    fullUrl,
    resource: { resourceType: 'Patient', identifier: [{ system, value }] },
    request: {
      method: 'POST',
      url: 'Patient',
      ifNoneExist: `identifier=${encodeURIComponent(`${system}|${value}`)}`,
    },
  })
  return { reference: fullUrl }
}

/** A reference per Study Instance UID: the PACS's ImagingStudy, or one written here. */
function studiesOf(
  result: AnalysisResult,
  o: Options,
  subject: Reference<Patient>,
  entries: Entry[],
): Map<string, Reference<ImagingStudy>> {
  const studies = new Map<string, Reference<ImagingStudy>>()
  const modality = coded(
    o.modality ?? { system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'OT' },
  )
  for (const uid of new Set(result.images.map((i) => i.studyInstanceUid))) {
    if (o.imagingStudy) {
      studies.set(uid, { reference: o.imagingStudy })
      continue
    }
    const fullUrl = deterministicUuid(`${o.idempotencyKey}|study|${uid}`)
    const images = result.images.filter((i) => i.studyInstanceUid === uid)
    entries.push(
      put(
        fullUrl,
        imagingStudyResource(uid, images, subject, modality),
        DICOM_UID_SYSTEM,
        `urn:oid:${uid}`,
      ),
    )
    studies.set(uid, { reference: fullUrl })
  }
  return studies
}

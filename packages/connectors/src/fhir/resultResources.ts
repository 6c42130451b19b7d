import type { AnalysisResult, Finding, ImageResult } from '@btt/compute'
import type {
  Attachment,
  CodeableConcept,
  Coding,
  Device,
  DiagnosticReport,
  ImagingStudy,
  Observation,
  Patient,
  Reference,
} from '@medplum/fhirtypes'
import { bareUuid, DICOM_UID_SYSTEM, MODEL_SHA256_SYSTEM, URI_SYSTEM } from './identifiers.js'

export const SNOMED = 'http://snomed.info/sct'
export const LOINC = 'http://loinc.org'
const PRESENT: Coding = { system: SNOMED, code: '52101004', display: 'Present' }
const ABSENT: Coding = { system: SNOMED, code: '2667000', display: 'Absent' }
const IMAGING: CodeableConcept = {
  coding: [
    { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'imaging' },
  ],
}
/** The probability component's code (the model's output for the finding, 0–1). */
export const PROBABILITY_CODE: Coding = {
  system: 'https://btt.health/fhir/CodeSystem/ai-output',
  code: 'probability',
  display: 'Model probability',
}

/** The bounding-box component's code: `x y width height` in source pixels. */
export const BOX_CODE: Coding = {
  system: 'https://btt.health/fhir/CodeSystem/ai-output',
  code: 'bounding-box',
  display: 'Bounding box (x y width height, pixels)',
}

export const dicomUid = (uid: string) => ({ system: DICOM_UID_SYSTEM, value: `urn:oid:${uid}` })

export function deviceResource(result: AnalysisResult): Device {
  return {
    resourceType: 'Device',
    identifier: [{ system: MODEL_SHA256_SYSTEM, value: result.model.sha256 }],
    status: 'active',
    deviceName: [{ name: result.model.name, type: 'model-name' }],
    type: { text: 'AI imaging model' },
    version: [{ value: result.model.version }],
  }
}

export function imagingStudyResource(
  studyUid: string,
  images: readonly ImageResult[],
  subject: Reference<Patient>,
  modality: Coding,
): ImagingStudy {
  const series = new Map<string, ImageResult[]>()
  for (const i of images)
    series.set(i.seriesInstanceUid, [...(series.get(i.seriesInstanceUid) ?? []), i])
  return {
    resourceType: 'ImagingStudy',
    identifier: [dicomUid(studyUid)],
    status: 'available',
    subject,
    series: [...series].map(([uid, list]) => ({
      uid,
      modality,
      instance: [...new Map(list.map((i) => [i.sopInstanceUid, i])).values()].map((i) => ({
        uid: i.sopInstanceUid,
        sopClass: { system: DICOM_UID_SYSTEM, code: `urn:oid:${i.sopClassUid}` },
      })),
    })),
  }
}

export type ObservationLinks = {
  id: string
  subject: Reference<Patient>
  device: Reference<Device>
  study: Reference<ImagingStudy>
  seg?: string
  bodySite?: CodeableConcept
  issued: string
}

export function observationResource(
  finding: Finding,
  image: ImageResult,
  links: ObservationLinks,
): Observation {
  const code: CodeableConcept = finding.code
    ? { coding: [finding.code], text: finding.label }
    : { text: finding.label }
  const derivedFrom: Reference<ImagingStudy>[] = [links.study]
  if (links.seg) derivedFrom.push({ identifier: dicomUid(links.seg), display: 'DICOM SEG' })
  return {
    resourceType: 'Observation',
    identifier: [{ system: URI_SYSTEM, value: bareUuid(links.id) }],
    status: 'final',
    category: [IMAGING],
    code,
    subject: links.subject,
    issued: links.issued,
    device: links.device,
    derivedFrom,
    ...(links.bodySite ? { bodySite: links.bodySite } : {}),
    valueCodeableConcept: { coding: [finding.present ? PRESENT : ABSENT] },
    component: [
      {
        code: { coding: [PROBABILITY_CODE] },
        valueQuantity: {
          value: finding.probability,
          unit: '1',
          system: 'http://unitsofmeasure.org',
          code: '1',
        },
      },
      ...(finding.box
        ? [
            {
              code: { coding: [BOX_CODE] },
              valueString: `${finding.box.x} ${finding.box.y} ${finding.box.width} ${finding.box.height}`,
            },
          ]
        : []),
    ],
    note: [{ text: `Image ${image.sopInstanceUid} frame ${image.frame}` }],
  }
}

export type ReportLinks = {
  id: string
  subject: Reference<Patient>
  study: Reference<ImagingStudy>
  sr: string
  results: Reference<Observation>[]
  issued: string
  code: CodeableConcept
  /** An overlay image (findings drawn on the source), shown by the SMART app. */
  overlay?: Attachment
}

export function diagnosticReportResource(
  result: AnalysisResult,
  links: ReportLinks,
): DiagnosticReport {
  const present = result.images.flatMap((i) => i.findings).filter((f) => f.present)
  return {
    resourceType: 'DiagnosticReport',
    identifier: [{ system: URI_SYSTEM, value: bareUuid(links.id) }, dicomUid(links.sr)],
    status: 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'RAD' }] },
    ],
    code: links.code,
    subject: links.subject,
    issued: links.issued,
    imagingStudy: [links.study],
    result: links.results,
    ...(links.overlay ? { presentedForm: [links.overlay] } : {}),
    conclusion: present.length
      ? `AI findings (${result.model.name} ${result.model.version}): ${[...new Set(present.map((f) => f.label))].join(', ')}`
      : `No AI finding (${result.model.name} ${result.model.version})`,
  }
}

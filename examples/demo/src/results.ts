import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type AnalysisResult, decodeDicom } from '@btt/compute'
import {
  createMeasurementReport,
  createOverlayImage,
  createSegmentations,
  type PseudonymVault,
  reidentify,
} from '@btt/connectors'
import { createFhirResultBundle, overlayPng, patientFromDicom } from '@btt/connectors/ehr'

export type Written = {
  sr: string
  segs: string[]
  overlay?: string
  bundle: string
  /** Values the vault restored in each DICOM file. */
  restored: number
  /** The overlay image for the summary page: PNG of the original and the finding's box. */
  preview?: {
    png: Uint8Array<ArrayBuffer>
    scale: number
    box: { x: number; y: number; width: number; height: number }
    label: string
    probability: number
  }
}

/** The analysis result with the vault's originals in place of each pseudonymous UID. */
function reidentifyResult(result: AnalysisResult, vault: PseudonymVault): AnalysisResult {
  const uid = (u: string) => vault.original(u)?.original ?? u
  return {
    ...result,
    studyInstanceUids: result.studyInstanceUids.map(uid),
    images: result.images.map((i) => ({
      ...i,
      studyInstanceUid: uid(i.studyInstanceUid),
      seriesInstanceUid: uid(i.seriesInstanceUid),
      sopInstanceUid: uid(i.sopInstanceUid),
    })),
  }
}

/**
 * Step 5: the findings as a PACS and an EHR take them back. The DICOM SR (TID 1500), SEG and
 * Secondary Capture overlay are written against the de-identified images, as a remote service
 * would, then re-identified with the clinic's vault so they reference the original study. The
 * FHIR R4 Bundle is built from the re-identified result, for the patient's MRN.
 */
export async function writeResults(
  result: AnalysisResult,
  o: { deidentified: Uint8Array[]; originals: Uint8Array[]; vault: PseudonymVault; dir: string },
): Promise<Written> {
  mkdirSync(o.dir, { recursive: true })
  let restored = 0
  const put = (name: string, bytes: Uint8Array) => {
    const back = reidentify(bytes, { vault: o.vault })
    restored += back.restored
    writeFileSync(join(o.dir, name), back.bytes)
    return join(o.dir, name)
  }
  const sources = o.deidentified
  const sr = put('report.sr.dcm', createMeasurementReport(result, { sources }))
  const segs = createSegmentations(result, { sources }).map((seg, i) =>
    put(`outline-${i + 1}.seg.dcm`, seg),
  )
  const index = result.images.findIndex((i) => i.findings.some((f) => f.present))
  const image = result.images[index]
  let overlay: string | undefined
  let preview: Written['preview']
  if (image) {
    overlay = put('overlay.sc.dcm', await createOverlayImage(image, sources[index]!))
    const finding = image.findings.find((f) => f.present)!
    const { png, scale } = overlayPng(await decodeDicom(o.originals[index]!), {
      maxSize: 512,
    })
    if (finding.box)
      preview = {
        png,
        scale,
        box: finding.box,
        label: finding.label,
        probability: finding.probability,
      }
  }
  const bundle = createFhirResultBundle(reidentifyResult(result, o.vault), {
    patient: { identifier: patientFromDicom(o.originals[0]!) },
    idempotencyKey: `demo-${result.studyInstanceUids.join('+')}`,
    ...(preview
      ? { overlay: { contentType: 'image/png' as const, bytes: preview.png, scale: preview.scale } }
      : {}),
  })
  const bundleFile = join(o.dir, 'results.bundle.json')
  writeFileSync(bundleFile, `${JSON.stringify(bundle, null, 2)}\n`)
  return {
    sr,
    segs,
    ...(overlay ? { overlay } : {}),
    bundle: bundleFile,
    restored,
    ...(preview ? { preview } : {}),
  }
}

import type { AnalysisResult, Finding, ImageResult, Mask } from '@btt/compute'

/** A hand-made analysis result around `images` (a model "t" that was never run). */
export const resultOf = (images: ImageResult[], failures = 0): AnalysisResult => ({
  model: { id: 't', name: 'T', version: '1', sha256: '0'.repeat(64), intendedUse: '' },
  backend: { name: 'cpu', reason: '' },
  studyInstanceUids: [...new Set(images.map((i) => i.studyInstanceUid))],
  images,
  failures: Array.from({ length: failures }, (_, i) => ({
    file: `failed-${i}`,
    error: { name: 'ComputeError', code: 'COMPUTE_UNREADABLE_DICOM', message: 'unreadable' },
  })),
  timings: { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, totalMs: 0 },
})

/** An analysed 8×8 image `sop` (frame `frame`) of series `series` with `findings`. */
export const imageOf = (
  sop: string,
  findings: Finding[],
  o: { series?: string; frame?: number; size?: number } = {},
): ImageResult => ({
  file: `${sop}.dcm`,
  studyInstanceUid: '1.2.3',
  seriesInstanceUid: o.series ?? '1.2.3.1',
  sopInstanceUid: sop,
  sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1',
  frame: o.frame ?? 0,
  rows: o.size ?? 8,
  columns: o.size ?? 8,
  findings,
})

/** An 8×8 mask with the pixels at `on` set. */
export const maskOf = (on: number[], size = 8): Mask => {
  const pixels = new Uint8Array(size * size)
  for (const i of on) pixels[i] = 1
  return { rows: size, columns: size, pixels, area: on.length }
}

/** A finding `label`: present with a mask when `mask` is given, else absent. */
export const findingOf = (label: string, mask?: Mask): Finding => ({
  label,
  probability: mask ? 0.9 : 0.1,
  present: mask !== undefined,
  ...(mask ? { mask } : {}),
})

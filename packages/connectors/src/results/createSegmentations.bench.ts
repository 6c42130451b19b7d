import type { AnalysisResult } from '@btt/compute'
import { writeDicom } from '@btt/compute/testing'
import { bench, describe } from 'vitest'
import { createSegmentations } from './createSegmentations.js'
import { writePart10 } from './part10.js'

// A 120-slice 512×512 CT series with a mask on every slice: one SEG of 120 frames (~3.9 MB of
// 1-bit pixels). Baseline: dcmjs writing the same packed pixels with no SEG structure around them.
const SLICES = 120
const SIZE = 512
const study = '1.2.826.0.1.3680043.10.1398.556'
const sources = Array.from({ length: SLICES }, (_, i) =>
  writeDicom({
    frames: [new Int16Array(16)],
    rows: 4,
    columns: 4,
    modality: 'CT',
    studyInstanceUid: study,
    seriesInstanceUid: `${study}.1`,
    sopInstanceUid: `${study}.1.${i + 1}`,
    extra: {
      FrameOfReferenceUID: `${study}.9`,
      ImagePositionPatient: [-180, -180, i * 1.25],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      PixelSpacing: [0.7, 0.7],
      SliceThickness: 1.25,
    },
  }),
)
const disc = (i: number) => {
  const pixels = new Uint8Array(SIZE * SIZE)
  const r = 40 + (i % 20)
  let area = 0
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++)
      if ((x - 256) ** 2 + (y - 256) ** 2 < r * r) {
        pixels[y * SIZE + x] = 1
        area++
      }
  return { rows: SIZE, columns: SIZE, pixels, area }
}
const result: AnalysisResult = {
  model: { id: 'bench', name: 'Bench', version: '1', sha256: '0'.repeat(64), intendedUse: '' },
  backend: { name: 'cpu', reason: '' },
  studyInstanceUids: [study],
  images: sources.map((_, i) => ({
    file: `slice-${i}`,
    studyInstanceUid: study,
    seriesInstanceUid: `${study}.1`,
    sopInstanceUid: `${study}.1.${i + 1}`,
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    frame: 0,
    rows: SIZE,
    columns: SIZE,
    findings: [{ label: 'lesion', probability: 0.9, present: true, mask: disc(i) }],
  })),
  failures: [],
  timings: { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, totalMs: 0 },
}
const packed = new Uint8Array((SLICES * SIZE * SIZE) / 8)

describe(`SEG of a ${SLICES}-slice ${SIZE}×${SIZE} CT series`, () => {
  bench(
    'baseline: dcmjs writes the packed pixels alone',
    () => {
      writePart10({
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.66.4',
        SOPInstanceUID: `${study}.2`,
        PixelData: [packed.buffer],
        _vrMap: { PixelData: 'OB' },
      })
    },
    { time: 3000 },
  )
  bench(
    'createSegmentations (read sources, pack bits, functional groups, write)',
    () => {
      createSegmentations(result, { sources })
    },
    { time: 3000 },
  )
})

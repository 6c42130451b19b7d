import { type AnalysisResult, analyze, type Mask } from '@btt/compute'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { dciodvfy, hasDciodvfy, orthancBinary, useOrthanc } from '@btt/testing'
import { describe, expect, test } from 'vitest'
import { createDicomwebClient, jsonValue } from '../src/dicomweb/createDicomwebClient.js'
import { createSegmentations } from '../src/results/createSegmentations.js'
import { datasetOf, value } from './fixtures.js'

const STUDY = '1.2.826.0.1.3680043.10.1398.500'
const nodule = { x: 300, y: 180, radius: 14, contrast: 650 }
const chest = (sop: number, nodules: (typeof nodule)[], frames = 1) =>
  writeDicom({
    frames: Array.from({ length: frames }, (_, f) =>
      syntheticChest({ seed: 50 + sop + f, nodules: f === frames - 1 ? nodules : [] }),
    ),
    rows: 512,
    columns: 512,
    studyInstanceUid: STUDY,
    seriesInstanceUid: `${STUDY}.1`,
    sopInstanceUid: `${STUDY}.1.${sop}`,
    patientId: 'SEG-1',
  })
const study = [chest(1, [nodule]), chest(2, []), chest(3, [nodule], 3)]

type Item = Record<string, { vr: string; Value?: unknown[]; InlineBinary?: string }>
const seq = (ds: Item, tag: string) => (ds[tag]?.Value ?? []) as Item[]

/** Frame `i` of a BINARY SEG's pixel data as one byte per pixel. */
function unpackFrame(pixelData: Uint8Array, i: number, size: number): Uint8Array {
  const out = new Uint8Array(size)
  for (let p = 0; p < size; p++) {
    const bit = i * size + p
    out[p] = (pixelData[bit >> 3]! >> (bit & 7)) & 1
  }
  return out
}

describe('DICOM SEG from a model with a mask output', () => {
  test('one frame per present finding, bit for bit the mask, pointing at its image and frame', async () => {
    const result = await analyze(study)
    const masks = result.images.flatMap((image) =>
      image.findings.filter((f) => f.mask).map((f) => ({ image, mask: f.mask! })),
    )
    // the opacity in instance 1 and in frame 3 of instance 3; nothing in instance 2
    expect(masks.map((m) => [m.image.sopInstanceUid, m.image.frame])).toEqual([
      [`${STUDY}.1.1`, 0],
      [`${STUDY}.1.3`, 2],
    ])
    const segs = createSegmentations(result, { sources: study })
    expect(segs).toHaveLength(1)
    const { dict, meta } = datasetOf(segs[0]!)
    const ds = dict as Item
    expect(value(dict, '00080016')).toBe('1.2.840.10008.5.1.4.1.1.66.4')
    expect(value(dict, '00080060')).toBe('SEG')
    expect(value(dict, '0020000D')).toBe(STUDY)
    expect(value(dict, '00100020')).toBe('SEG-1')
    expect(value(dict, '00620001')).toBe('BINARY')
    expect(value(dict, '00280100')).toBe(1)
    expect(Number(value(dict, '00280008'))).toBe(2)
    expect(value(meta, '00020010')).toBe('1.2.840.10008.1.2.1')
    // one segment: the finding, coded, made by the model
    const [segment, ...others] = seq(ds, '00620002')
    expect(others).toEqual([])
    expect(value(segment!, '00620005')).toBe('nodule')
    expect(value(segment!, '00620008')).toBe('AUTOMATIC')
    expect(value(seq(segment!, '0062000F')[0]!, '00080100')).toBe('786838002')
    expect(value(seq(segment!, '00620003')[0]!, '00080100')).toBe('49755003')
    const algorithm = seq(segment!, '00620007')[0]!
    expect(value(algorithm, '00660032')).toContain(result.model.sha256)
    expect(value(seq(algorithm, '0066002F')[0]!, '00080100')).toBe('123110')
    // per frame: the source image (and its frame number when multi-frame) and the segment
    const frames = seq(ds, '52009230')
    const sources = frames.map((f) => {
      const src = seq(seq(f, '00089124')[0]!, '00082112')[0]!
      return [value(src, '00081155'), src['00081160']?.Value?.[0]]
    })
    expect(sources).toEqual([
      [`${STUDY}.1.1`, undefined],
      [`${STUDY}.1.3`, 3],
    ])
    for (const f of frames) expect(value(seq(f, '0062000A')[0]!, '0062000B')).toBe(1)
    // the pixel data is the masks, 1 bit per pixel
    const pixelData = new Uint8Array(
      (ds['7FE00010']!.Value?.[0] as ArrayBuffer | undefined) ??
        Buffer.from(ds['7FE00010']!.InlineBinary!, 'base64'),
    )
    expect(pixelData.length).toBe((2 * 512 * 512) / 8)
    masks.forEach((m, i) => {
      expect(unpackFrame(pixelData, i, 512 * 512)).toEqual(m.mask.pixels)
    })
    // references: the study's images that have masks
    const refs = seq(seq(ds, '00081115')[0]!, '0008114A').map((r) => value(r, '00081155'))
    expect(refs).toEqual([`${STUDY}.1.1`, `${STUDY}.1.3`])
  })

  test.skipIf(!hasDciodvfy())('a valid Segmentation IOD (dciodvfy: no errors)', async () => {
    // single-frame sources: a DX SOP Class is not multi-frame, so frame numbers are not allowed
    const sources = study.slice(0, 2)
    const [seg] = createSegmentations(await analyze(sources), { sources })
    const check = dciodvfy(seg!)
    expect(check.iod).toBe('Segmentation')
    expect(check.errors).toEqual([])
  })

  test('FRACTIONAL: 8-bit probabilities, byte for byte the analysis; a valid IOD; needs the probabilities', async () => {
    const sources = study.slice(0, 2)
    const result = await analyze(sources, { maskProbabilities: true })
    const [seg] = createSegmentations(result, { sources, type: 'FRACTIONAL' })
    const ds = datasetOf(seg!).dict as Item
    expect(value(ds, '00620001')).toBe('FRACTIONAL')
    expect(value(ds, '00620010')).toBe('PROBABILITY')
    expect(value(ds, '0062000E')).toBe(255)
    expect([value(ds, '00280100'), value(ds, '00280101'), value(ds, '00280102')]).toEqual([8, 8, 7])
    const pixelData = new Uint8Array(
      (ds['7FE00010']!.Value?.[0] as ArrayBuffer | undefined) ??
        Buffer.from(ds['7FE00010']!.InlineBinary!, 'base64'),
    )
    const probabilities = result.images[0]!.findings[0]!.mask!.probabilities!
    expect(pixelData.subarray(0, 512 * 512)).toEqual(probabilities)
    if (hasDciodvfy()) expect(dciodvfy(seg!).errors).toEqual([])
    // without the probabilities: a typed error that says how to get them
    const binaryOnly = await analyze(sources)
    const error = (() => {
      try {
        createSegmentations(binaryOnly, { sources, type: 'FRACTIONAL' })
      } catch (e) {
        return e
      }
    })()
    expect(error).toMatchObject({ code: 'RESULT_ENCODING_FAILED' })
    expect(String((error as Error).message)).toMatch(/maskProbabilities: true/)
  })

  test('no present finding with a mask: no SEG; an image missing from the sources: typed error', async () => {
    const result = await analyze([study[1]!])
    expect(createSegmentations(result, { sources: [study[1]!] })).toEqual([])
    const withMask = await analyze([study[0]!])
    expect(() => createSegmentations(withMask, { sources: [study[1]!] })).toThrow(
      expect.objectContaining({ code: 'RESULT_ENCODING_FAILED' }),
    )
  })
})

describe('DICOM SEG of cross-sectional images (a patient frame of reference)', () => {
  const FOR = '1.2.826.0.1.3680043.10.1398.600.9'
  const z = [30, -10, 10] // slices given out of order
  const slices = z.map((position, i) =>
    writeDicom({
      frames: [new Uint16Array(64 * 64)],
      rows: 64,
      columns: 64,
      modality: 'CT',
      studyInstanceUid: '1.2.826.0.1.3680043.10.1398.600',
      seriesInstanceUid: '1.2.826.0.1.3680043.10.1398.600.1',
      sopInstanceUid: `1.2.826.0.1.3680043.10.1398.600.1.${i + 1}`,
      extra: {
        FrameOfReferenceUID: FOR,
        PositionReferenceIndicator: '',
        ImagePositionPatient: [-100, -100, position],
        ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
        PixelSpacing: [0.7, 0.7],
        SliceThickness: 2,
      },
    }),
  )
  const square = (): Mask => {
    const pixels = new Uint8Array(64 * 64)
    for (let y = 20; y < 30; y++) for (let x = 10; x < 25; x++) pixels[y * 64 + x] = 1
    return { rows: 64, columns: 64, pixels, area: 150 }
  }
  const result: AnalysisResult = {
    model: {
      id: 'test.ct',
      name: 'Test CT',
      version: '0.1',
      sha256: '0'.repeat(64),
      intendedUse: '',
    },
    backend: { name: 'cpu', reason: 'test' },
    studyInstanceUids: ['1.2.826.0.1.3680043.10.1398.600'],
    images: slices.map((_, i) => ({
      file: `slice-${i}`,
      studyInstanceUid: '1.2.826.0.1.3680043.10.1398.600',
      seriesInstanceUid: '1.2.826.0.1.3680043.10.1398.600.1',
      sopInstanceUid: `1.2.826.0.1.3680043.10.1398.600.1.${i + 1}`,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      frame: 0,
      rows: 64,
      columns: 64,
      findings: [
        {
          label: 'tumour',
          probability: 0.9,
          present: i !== 2, // slice at z=10 has none
          ...(i !== 2 ? { mask: square() } : {}),
          code: { system: 'http://snomed.info/sct', code: '108369006', display: 'Neoplasm' },
        },
      ],
    })),
    failures: [],
    timings: { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, totalMs: 0 },
  }

  test('keeps the frame of reference; frames carry plane positions, indexed along the normal', () => {
    const [seg] = createSegmentations(result, { sources: slices })
    const ds = datasetOf(seg!).dict as Item
    expect(value(ds, '00200052')).toBe(FOR)
    const shared = seq(ds, '52009229')[0]!
    expect(seq(shared, '00289110')[0]!['00280030']!.Value).toEqual([0.7, 0.7])
    expect(seq(shared, '00209116')[0]!['00200037']!.Value).toEqual([1, 0, 0, 0, 1, 0])
    const frames = seq(ds, '52009230')
    // slices 1 (z=30) and 2 (z=-10) have masks: z=-10 is position 1, z=30 position 2
    expect(frames.map((f) => seq(f, '00209113')[0]!['00200032']!.Value)).toEqual([
      [-100, -100, 30],
      [-100, -100, -10],
    ])
    expect(frames.map((f) => seq(f, '00209111')[0]!['00209157']!.Value)).toEqual([
      [1, 2],
      [1, 1],
    ])
    expect(seq(ds, '00209222').map((d) => d['00209165']!.Value![0])).toEqual([
      0x0062_000b, 0x0020_0032,
    ])
    if (hasDciodvfy()) {
      const check = dciodvfy(seg!)
      expect(check.iod).toBe('Segmentation')
      expect(check.errors).toEqual([])
    }
  })
})

test('an enhanced (multi-frame) CT: per-frame positions from its functional groups, frame numbers referenced', () => {
  const ENHANCED_CT = '1.2.840.10008.5.1.4.1.1.2.1'
  const sop = '1.2.826.0.1.3680043.10.1398.620.1.1'
  const z = [5, 0, -5]
  const source = writeDicom({
    frames: z.map(() => new Uint16Array(16 * 16)),
    rows: 16,
    columns: 16,
    modality: 'CT',
    sopInstanceUid: sop,
    extra: {
      SOPClassUID: ENHANCED_CT,
      FrameOfReferenceUID: '1.2.826.0.1.3680043.10.1398.620.9',
      SharedFunctionalGroupsSequence: [
        {
          PixelMeasuresSequence: [{ PixelSpacing: [0.5, 0.5], SliceThickness: 1 }],
          PlaneOrientationSequence: [{ ImageOrientationPatient: [1, 0, 0, 0, 1, 0] }],
        },
      ],
      PerFrameFunctionalGroupsSequence: z.map((position) => ({
        PlanePositionSequence: [{ ImagePositionPatient: [-4, -4, position] }],
      })),
    },
  })
  const mask = () => {
    const pixels = new Uint8Array(256)
    pixels.fill(1, 40, 60)
    return { rows: 16, columns: 16, pixels, area: 20 }
  }
  const result: AnalysisResult = {
    model: { id: 't', name: 'T', version: '1', sha256: '0'.repeat(64), intendedUse: '' },
    backend: { name: 'cpu', reason: '' },
    studyInstanceUids: [],
    images: [0, 1, 2].map((frame) => ({
      file: 'enhanced.dcm',
      studyInstanceUid: '1.2.3',
      seriesInstanceUid: '1.2.3.1',
      sopInstanceUid: sop,
      sopClassUid: ENHANCED_CT,
      frame,
      rows: 16,
      columns: 16,
      findings: [
        {
          label: 'lesion',
          probability: 0.9,
          present: frame !== 1,
          ...(frame !== 1 ? { mask: mask() } : {}),
        },
      ],
    })),
    failures: [],
    timings: { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, totalMs: 0 },
  }
  const [seg] = createSegmentations(result, { sources: [source] })
  const ds = datasetOf(seg!).dict as Item
  expect(value(ds, '00200052')).toBe('1.2.826.0.1.3680043.10.1398.620.9')
  const frames = seq(ds, '52009230')
  expect(frames.map((f) => seq(seq(f, '00089124')[0]!, '00082112')[0]!['00081160']!.Value)).toEqual(
    [[1], [3]],
  )
  expect(frames.map((f) => seq(f, '00209113')[0]!['00200032']!.Value)).toEqual([
    [-4, -4, 5],
    [-4, -4, -5],
  ])
  // z = -5 comes first along the normal
  expect(frames.map((f) => seq(f, '00209111')[0]!['00209157']!.Value)).toEqual([
    [1, 2],
    [1, 1],
  ])
  const shared = seq(ds, '52009229')[0]!
  expect(seq(shared, '00289110')[0]!['00280030']!.Value).toEqual([0.5, 0.5])
  if (hasDciodvfy()) expect(dciodvfy(seg!).errors).toEqual([])
})

describe('several segments', () => {
  const pixels = (x0: number) => {
    const p = new Uint8Array(8 * 8)
    for (let y = 2; y < 5; y++) for (let x = x0; x < x0 + 3; x++) p[y * 8 + x] = 1
    return { rows: 8, columns: 8, pixels: p, area: 9 }
  }
  const source = writeDicom({
    frames: [new Uint16Array(64)],
    rows: 8,
    columns: 8,
    sopInstanceUid: '1.2.826.0.1.3680043.10.1398.610.1.1',
  })
  const result = (second: number): AnalysisResult => ({
    model: { id: 't', name: 'T', version: '1', sha256: '0'.repeat(64), intendedUse: '' },
    backend: { name: 'cpu', reason: '' },
    studyInstanceUids: [],
    images: [
      {
        file: 'a',
        studyInstanceUid: '1.2.3',
        seriesInstanceUid: '1.2.3.1',
        sopInstanceUid: '1.2.826.0.1.3680043.10.1398.610.1.1',
        sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1',
        frame: 0,
        rows: 8,
        columns: 8,
        findings: [
          { label: 'mass', probability: 1, present: true, mask: pixels(0) },
          {
            label: 'calcification-cluster', // no code: a local one, its value cut to 16 characters
            probability: 1,
            present: true,
            mask: pixels(second),
          },
        ],
      },
    ],
    failures: [],
    timings: { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, totalMs: 0 },
  })

  test('one segment per label, frames by segment; Segments Overlap says whether pixels are shared', () => {
    const apart = datasetOf(createSegmentations(result(4), { sources: [source] })[0]!).dict as Item
    expect(seq(apart, '00620002').map((s) => [value(s, '00620004'), value(s, '00620005')])).toEqual(
      [
        [1, 'mass'],
        [2, 'calcification-cluster'],
      ],
    )
    const local = seq(seq(apart, '00620002')[1]!, '0062000F')[0]!
    expect([value(local, '00080100'), value(local, '00080102')]).toEqual([
      'calcification-cl',
      '99BTT',
    ])
    if (hasDciodvfy())
      expect(dciodvfy(createSegmentations(result(4), { sources: [source] })[0]!).errors).toEqual([])
    expect(seq(apart, '52009230').map((f) => value(seq(f, '0062000A')[0]!, '0062000B'))).toEqual([
      1, 2,
    ])
    expect(value(apart, '00620013')).toBe('NO')
    const shared = datasetOf(createSegmentations(result(2), { sources: [source] })[0]!).dict
    expect(value(shared, '00620013')).toBe('YES')
  })
})

describe.skipIf(!orthancBinary())('SEG into a real Orthanc', () => {
  const server = useOrthanc()

  test('Orthanc stores the SEG in the source study as its own series', async () => {
    const pacs = createDicomwebClient({ url: server().dicomweb })
    await pacs.store(study)
    const segs = createSegmentations(await analyze(study), { sources: study })
    const { stored, failed } = await pacs.store(segs)
    expect(failed).toEqual([])
    expect(stored).toHaveLength(1)
    const series = await pacs.searchSeries(STUDY, { Modality: 'SEG' })
    expect(series).toHaveLength(1)
    expect(jsonValue(series[0]!, '00080060')).toBe('SEG')
  })
})

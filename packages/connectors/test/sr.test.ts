import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { analyze, decodeDicom } from '@btt/compute'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { dciodvfy, hasDciodvfy, orthancBinary, tool, useOrthanc } from '@btt/testing'
import { afterAll, describe, expect, test } from 'vitest'
import { createDicomwebClient, jsonValue } from '../src/dicomweb/createDicomwebClient.js'
import { createMeasurementReport } from '../src/results/createMeasurementReport.js'
import { createOverlayImage } from '../src/results/createOverlayImage.js'
import { createSegmentations } from '../src/results/createSegmentations.js'
import { datasetOf, value } from './fixtures.js'

const dir = mkdtempSync(join(tmpdir(), 'btt-sr-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const has = (cmd: string) => tool(cmd, 'dcmtk') !== undefined

const STUDY = '1.2.826.0.1.3680043.10.1398.400'
const study = [
  writeDicom({
    frames: [
      syntheticChest({ seed: 41, nodules: [{ x: 170, y: 230, radius: 12, contrast: 650 }] }),
    ],
    rows: 512,
    columns: 512,
    studyInstanceUid: STUDY,
    seriesInstanceUid: `${STUDY}.1`,
    sopInstanceUid: `${STUDY}.1.1`,
    patientId: 'SR-1',
  }),
  writeDicom({
    frames: [syntheticChest({ seed: 42 })],
    rows: 512,
    columns: 512,
    studyInstanceUid: STUDY,
    seriesInstanceUid: `${STUDY}.1`,
    sopInstanceUid: `${STUDY}.1.2`,
    patientId: 'SR-1',
  }),
]

describe('DICOM SR (TID 1500)', () => {
  test('the report carries each finding, its probability and location, references the images and names the algorithm', async () => {
    const result = await analyze(study)
    const sr = createMeasurementReport(result, { sources: study })
    const { dict } = datasetOf(sr)
    expect(value(dict, '00080016')).toBe('1.2.840.10008.5.1.4.1.1.88.33')
    expect(value(dict, '0020000D')).toBe(STUDY)
    expect(value(dict, '00100020')).toBe('SR-1')
    const text = JSON.stringify(dict)
    expect(text).toContain('"1500"') // template
    expect(text).toContain('786838002') // finding: pulmonary nodule (SNOMED)
    expect(text).toContain(result.model.sha256)
    expect(text).toContain(`${STUDY}.1.1`) // referenced image
    const evidence = (
      dict['0040A375']!.Value as Record<string, { Value: Record<string, { Value: unknown[] }>[] }>[]
    )[0]!
    const refs = evidence['00081115']!.Value[0]!['00081199']!.Value as Record<
      string,
      { Value: string[] }
    >[]
    expect(refs.map((r) => r['00081155']!.Value[0]).sort()).toEqual([
      `${STUDY}.1.1`,
      `${STUDY}.1.2`,
    ])
    // one measurement group: only the image with the opacity has a present finding
    type Item = Record<string, { vr: string; Value?: unknown[] }>
    const concepts: string[] = []
    const walk = (ds: Item) => {
      for (const el of Object.values(ds))
        if (el.vr === 'SQ')
          for (const item of (el.Value ?? []) as Item[]) {
            const name = (item['0040A043']?.Value?.[0] as Item | undefined)?.['00080100']
              ?.Value?.[0]
            if (typeof name === 'string') concepts.push(name)
            walk(item)
          }
    }
    walk(dict as Item)
    expect(concepts.filter((c) => c === '125007')).toHaveLength(1)
    expect(concepts).toEqual(
      expect.arrayContaining(['111028', '126010', '121071', '111030', '111001', '111003']),
    )
  })

  test.skipIf(!has('dsrdump'))(
    'dcmtk reads it as a valid SR document (dsrdump: no errors or warnings)',
    async () => {
      const sr = createMeasurementReport(await analyze(study), { sources: study })
      const file = join(dir, 'report.dcm')
      writeFileSync(file, sr)
      const run = spawnSync('dsrdump', ['-Ee', '-Ec', file], { encoding: 'utf8' })
      expect(run.stderr).toBe('')
      expect(run.status).toBe(0)
      expect(run.stdout).toContain('Comprehensive SR Document')
      expect(run.stdout).toMatch(/Imaging Measurement Report/)
      expect(run.stdout).toMatch(/Finding.*Pulmonary nodule/)
    },
  )
})

test.skipIf(!hasDciodvfy())(
  'the SR and the Secondary Capture are valid IODs (dciodvfy: no errors)',
  async () => {
    const result = await analyze(study)
    const report = createMeasurementReport(result, { sources: study })
    const sr = dciodvfy(report)
    expect(sr.iod).toBe('ComprehensiveSR')
    expect(sr.errors).toEqual([])
    // its only warning: the local coding scheme (declared in the SR, unknown to the validator)
    expect(sr.warnings.filter((w) => !w.includes('<99BTT>'))).toEqual([])
    expect(JSON.stringify(datasetOf(report).dict['00080110'])).toContain('99BTT')
    const sc = dciodvfy(await createOverlayImage(result.images[0]!, study[0]!))
    expect(sc.iod).toBe('SCImage')
    expect(sc.errors).toEqual([])
    // and the synthetic sources (what `btt demo-study` writes) are valid DX images themselves
    for (const photometric of ['MONOCHROME2', 'MONOCHROME1'] as const) {
      const source = writeDicom({
        frames: [syntheticChest({ seed: 5 })],
        rows: 512,
        columns: 512,
        photometric,
      })
      expect(dciodvfy(source)).toEqual({ iod: 'DXImageForPresentation', errors: [], warnings: [] })
    }
  },
)

describe.skipIf(!orthancBinary())('the PACS flow through a real Orthanc', () => {
  const server = useOrthanc()

  test('a study pushed to Orthanc is found, analysed, and an SR referencing it appears in Orthanc', async () => {
    const pacs = createDicomwebClient({ url: server().dicomweb })
    await pacs.store(study) // the modality pushes the study
    const found = await pacs.searchStudies({ PatientID: 'SR-1' })
    const studyUid = String(jsonValue(found[0]!, '0020000D'))
    const files: Uint8Array[] = []
    for await (const file of pacs.retrieveStudy(studyUid)) files.push(file)
    const result = await analyze(files.map((bytes, i) => ({ name: `instance-${i}`, bytes })))
    const { stored, failed } = await pacs.store([
      createMeasurementReport(result, { sources: files }),
    ])
    expect(failed).toEqual([])
    expect(stored).toHaveLength(1)
    const srs = await pacs.searchSeries(studyUid, { Modality: 'SR' })
    expect(srs).toHaveLength(1)
    const [srFile] = await (async () => {
      const out: Uint8Array[] = []
      for await (const f of pacs.retrieveStudy(studyUid))
        if (value(datasetOf(f).dict, '00080060') === 'SR') out.push(f)
      return out
    })()
    expect(JSON.stringify(datasetOf(srFile!).dict)).toContain(`${STUDY}.1.1`)
  })
})

describe('Secondary Capture overlay', () => {
  test('the analysed frame with the finding box and outline burned in, readable by dcmtk', async () => {
    const result = await analyze(study)
    const image = result.images[0]!
    const box = image.findings[0]!.box!
    const sc = await createOverlayImage(image, study[0]!)
    const decoded = await decodeDicom(sc)
    expect(decoded.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.7')
    expect(decoded.studyInstanceUid).toBe(STUDY)
    const px = decoded.frames[0]!
    // the box outline is white; the box centre keeps the image
    for (let x = box.x; x <= box.x + box.width; x += 3) expect(px[box.y * 512 + x]).toBe(255)
    expect(
      px[(box.y + Math.floor(box.height / 2)) * 512 + box.x + Math.floor(box.width / 2)],
    ).toBeLessThan(255)
    // the mask's edge is burned in too: against the same overlay without the mask, exactly the
    // edge pixels that were not already white turn white, and there are some
    const mask = image.findings[0]!.mask!
    const { mask: _, ...withoutMask } = image.findings[0]!
    const plain = (
      await decodeDicom(await createOverlayImage({ ...image, findings: [withoutMask] }, study[0]!))
    ).frames[0]!
    let changed = 0
    for (let i = 0; i < px.length; i++) {
      const edge =
        mask.pixels[i] === 1 &&
        (!mask.pixels[i - 1] ||
          !mask.pixels[i + 1] ||
          !mask.pixels[i - 512] ||
          !mask.pixels[i + 512])
      if (px[i] !== plain[i]) {
        expect(edge).toBe(true)
        expect(px[i]).toBe(255)
        changed++
      } else if (edge) expect(px[i]).toBe(255)
    }
    expect(changed).toBeGreaterThan(10)
    const ds = datasetOf(sc).dict
    expect(value(ds, '00280301')).toBe('YES')
    if (has('dcmdump')) {
      const file = join(dir, 'sc.dcm')
      writeFileSync(file, sc)
      expect(spawnSync('dcmdump', ['-q', file]).status).toBe(0)
    }
  })
})

test('a malformed result, no readable source, or nothing analysed: typed errors', async () => {
  expect(() => createMeasurementReport({ images: [] } as never, { sources: [] })).toThrow(
    expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }),
  )
  const result = await analyze([study[1]!])
  expect(() => createMeasurementReport(result, { sources: [] })).toThrow(
    expect.objectContaining({ code: 'RESULT_ENCODING_FAILED' }),
  )
  const garbage = new TextEncoder().encode('not DICOM')
  expect(() => createMeasurementReport(result, { sources: [garbage] })).toThrow(
    expect.objectContaining({ code: 'RESULT_ENCODING_FAILED' }),
  )
  const failed = await analyze([{ name: 'garbage.dcm', bytes: garbage }])
  expect(failed.images).toEqual([])
  expect(() => createMeasurementReport(failed, { sources: [garbage] })).toThrow(
    expect.objectContaining({ code: 'RESULT_ENCODING_FAILED' }),
  )
})

type Item = Record<string, { vr: string; Value?: unknown[] }>
const items = (ds: Item, tag = '0040A730') => (ds[tag]?.Value ?? []) as Item[]
const conceptOf = (ds: Item) => value(items(ds, '0040A043')[0] ?? {}, '00080100')

describe('a negative result (no finding)', () => {
  // the first version wrote an empty Imaging Measurements container, which dciodvfy rejects:
  // "Empty attribute (no value) Type 1C Conditional Element=<ContentSequence>"
  test('no empty container: Imaging Measurements is left out and the finding is stated Absent', async () => {
    const negative = [study[1]!]
    const sr = createMeasurementReport(await analyze(negative), { sources: negative })
    const root = datasetOf(sr).dict as Item
    const content = items(root)
    expect(content.map(conceptOf)).not.toContain('126010') // Imaging Measurements
    const evaluations = content.find((c) => conceptOf(c) === 'C0034375')!
    const [nodule, ...others] = items(evaluations)
    expect(others).toEqual([])
    expect(conceptOf(nodule!)).toBe('786838002') // Pulmonary nodule …
    expect(value(items(nodule!, '0040A168')[0]!, '00080100')).toBe('272519000') // … Absent
    const containers: Item[] = []
    const walk = (ds: Item) => {
      for (const c of items(ds)) {
        if (value(c, '0040A040') === 'CONTAINER') containers.push(c)
        walk(c)
      }
    }
    walk(root)
    for (const c of containers) expect(items(c).length).toBeGreaterThan(0)
    if (hasDciodvfy()) expect(dciodvfy(sr).errors).toEqual([])
  })

  test('a positive result states the finding Present and keeps its measurement group', async () => {
    const root = datasetOf(createMeasurementReport(await analyze(study), { sources: study }))
      .dict as Item
    const content = items(root)
    expect(content.map(conceptOf)).toContain('126010')
    const evaluations = content.find((c) => conceptOf(c) === 'C0034375')!
    expect(items(evaluations).map((e) => value(items(e, '0040A168')[0]!, '00080100'))).toEqual([
      '52101004',
    ])
  })
})

test('a partial analysis (an input failed) is Completion Flag PARTIAL, saying how many', async () => {
  const inputs = [study[0]!, new TextEncoder().encode('not DICOM'), study[1]!]
  const result = await analyze(inputs.map((bytes, i) => ({ name: `in-${i}`, bytes })))
  expect(result.failures).toHaveLength(1)
  const { dict } = datasetOf(createMeasurementReport(result, { sources: inputs }))
  expect(value(dict, '0040A491')).toBe('PARTIAL')
  expect(value(dict, '0040A492')).toBe('1 input could not be analysed')
  const complete = datasetOf(createMeasurementReport(await analyze(study), { sources: study }))
  expect(value(complete.dict, '0040A491')).toBe('COMPLETE')
})

test('the private coding scheme is declared with its name and responsible organisation (SR and SEG)', async () => {
  const result = await analyze(study)
  const declared = (bytes: Uint8Array) =>
    items(datasetOf(bytes).dict as Item, '00080110').map((i) => [
      value(i, '00080102'),
      value(i, '00080115'),
      value(i, '00080116'),
    ])
  const scheme = ['99BTT', 'BTT SDK local codes', 'BTT SDK maintainers']
  expect(declared(createMeasurementReport(result, { sources: study }))).toEqual([scheme])
  // the SEG's segment is coded in SNOMED CT: nothing private to declare …
  const [seg] = createSegmentations(result, { sources: study })
  expect(declared(seg!)).toEqual([])
  // … until a label without a standard code gets a local one
  const local = structuredClone(result)
  for (const image of local.images) for (const f of image.findings) delete f.code
  const [localSeg] = createSegmentations(local, { sources: study })
  expect(declared(localSeg!)).toEqual([scheme])
})

test('idempotencyKey: the same key gives the same SR and SEG UIDs; UIDs are valid 2.25 UIDs', async () => {
  const result = await analyze(study)
  const sop = (bytes: Uint8Array) => [
    value(datasetOf(bytes).dict, '0020000E'),
    value(datasetOf(bytes).dict, '00080018'),
  ]
  const make = (idempotencyKey?: string) => {
    const options = { sources: study, ...(idempotencyKey ? { idempotencyKey } : {}) }
    return [
      ...sop(createMeasurementReport(result, options)),
      ...createSegmentations(result, options).flatMap(sop),
    ]
  }
  const a = make('study|instances|model')
  expect(a).toHaveLength(4)
  expect(make('study|instances|model')).toEqual(a)
  const b = make('study|instances|other-model')
  for (let i = 0; i < 4; i++) expect(b[i]).not.toBe(a[i])
  expect(new Set([...a, ...make(), ...make()]).size).toBe(12) // without a key: new every time
  for (const uid of a as string[]) {
    expect(uid.length).toBeLessThanOrEqual(64)
    expect(uid).toMatch(/^2\.25\.(0|[1-9]\d*)$/)
  }
})

test('"Procedure reported" follows the sources (or the caller)', async () => {
  const result = await analyze(study)
  const procedure = (sources: Uint8Array[], options = {}) => {
    const text = JSON.stringify(
      datasetOf(createMeasurementReport(result, { sources, ...options })).dict,
    )
    return ['168731009', '77477000', '363679005', '371572003'].filter((c) =>
      text.includes(`"${c}"`),
    )
  }
  const ct = writeDicom({ frames: [new Uint16Array(16)], rows: 4, columns: 4, modality: 'CT' })
  const us = writeDicom({ frames: [new Uint16Array(16)], rows: 4, columns: 4, modality: 'US' })
  expect(procedure(study)).toEqual(['168731009']) // chest X-ray
  expect(procedure([ct])).toEqual(['77477000']) // computed tomography
  expect(procedure([us])).toEqual(['363679005']) // imaging
  expect(
    procedure(study, {
      procedure: {
        system: 'http://snomed.info/sct',
        code: '371572003',
        display: 'Nuclear medicine imaging procedure',
      },
    }),
  ).toEqual(['371572003'])
})

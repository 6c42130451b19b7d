import { createHash } from 'node:crypto'
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { analyze } from '../src/analyze.js'
import { probeBackend, selectBackend } from '../src/backends/selectBackend.js'
import { decodeDicom, transcodeDicom } from '../src/dicom/decodeDicom.js'
import { ComputeError } from '../src/errors.js'
import { buildNoduleDemoModel } from '../src/model/buildNoduleDemoModel.js'
import { demoModelManifestPath } from '../src/model/demoModel.js'
import { loadModel } from '../src/model/loadModel.js'
import { syntheticChest } from '../src/testing/syntheticChest.js'
import { writeDicom } from '../src/testing/writeDicom.js'
import { chestDicom, heldOut } from './helpers.js'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-compute-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('the demo model on CPU', () => {
  test('an image with an opacity is found and located; one without is not', async () => {
    const nodule = { x: 160, y: 220, radius: 12, contrast: 650 }
    const result = await analyze([
      { name: 'with.dcm', bytes: chestDicom({ seed: 7, nodules: [nodule] }) },
      { name: 'without.dcm', bytes: chestDicom({ seed: 7 }) },
    ])
    expect(result.failures).toEqual([])
    expect(result.backend.name).toBe('cpu')
    expect(result.model).toMatchObject({ id: 'btt.nodule-demo', version: '1.0.0' })
    expect(result.model.sha256).toMatch(/^[0-9a-f]{64}$/)
    const [withNodule, without] = result.images
    const found = withNodule!.findings[0]!
    expect(found).toMatchObject({ label: 'nodule', present: true })
    expect(found.probability).toBeGreaterThan(0.9)
    const box = found.box!
    expect(box.x).toBeLessThanOrEqual(nodule.x)
    expect(box.x + box.width).toBeGreaterThanOrEqual(nodule.x)
    expect(box.y).toBeLessThanOrEqual(nodule.y)
    expect(box.y + box.height).toBeGreaterThanOrEqual(nodule.y)
    expect(box.width).toBeLessThan(60)
    // the mask outlines the opacity at the source size: its centre is inside, nothing far away is
    const mask = found.mask!
    expect(mask).toMatchObject({ rows: 512, columns: 512 })
    expect(mask.pixels[nodule.y * 512 + nodule.x]).toBe(1)
    let area = 0
    let far = 0
    for (let i = 0; i < mask.pixels.length; i++) {
      if (!mask.pixels[i]) continue
      area++
      if (Math.hypot((i % 512) - nodule.x, Math.floor(i / 512) - nodule.y) > 3 * nodule.radius)
        far++
    }
    expect(mask.area).toBe(area)
    expect(far).toBe(0)
    expect(area).toBeGreaterThan(0.3 * Math.PI * nodule.radius ** 2)
    expect(area).toBeLessThan(3 * Math.PI * nodule.radius ** 2)
    expect(without!.findings[0]!.mask).toBeUndefined()
    expect(mask.probabilities).toBeUndefined() // only when asked for
    // asked for: the probabilities agree with the mask (≥ 0.5 ⇔ inside)
    const again = await analyze(
      [{ name: 'with.dcm', bytes: chestDicom({ seed: 7, nodules: [nodule] }) }],
      {
        maskProbabilities: true,
      },
    )
    const withP = again.images[0]!.findings[0]!.mask!
    expect(withP.pixels).toEqual(mask.pixels)
    let disagree = 0
    for (let i = 0; i < withP.pixels.length; i++)
      if ((withP.probabilities![i]! >= 128 ? 1 : 0) !== withP.pixels[i]) disagree++
    expect(disagree).toBe(0)
    expect(withP.probabilities![nodule.y * 512 + nodule.x]).toBeGreaterThan(200)
    expect(without!.findings[0]).toMatchObject({ present: false })
    expect(without!.findings[0]!.probability).toBeLessThan(0.1)
    expect(without!.findings[0]!.box).toBeUndefined()
    for (const t of ['decodeMs', 'preprocessMs', 'inferenceMs', 'totalMs'] as const)
      expect(result.timings[t]).toBeGreaterThan(0)
  })

  test('held-out synthetic images (seeds the calibration never saw): every answer right', async () => {
    const cases = heldOut(24)
    const result = await analyze(
      cases.map((c, i) => ({
        name: `case-${i}.dcm`,
        bytes: writeDicom({ frames: [c.pixels], rows: 512, columns: 512 }),
      })),
    )
    const answers = result.images.map((img) => img.findings[0]!.present)
    expect(answers).toEqual(cases.map((c) => c.nodule !== undefined))
  })

  test('batching: results do not depend on the batch size; multi-frame images give one result per frame', async () => {
    const frames = [0, 1, 2].map((i) =>
      syntheticChest({ seed: 30 + i, nodules: i === 1 ? [{ x: 330, y: 250, radius: 10 }] : [] }),
    )
    const multi = writeDicom({ frames, rows: 512, columns: 512 })
    const items = [
      multi,
      ...heldOut(6).map((c) => writeDicom({ frames: [c.pixels], rows: 512, columns: 512 })),
    ]
    const one = await analyze(items, { batchSize: 1 })
    const eight = await analyze(items, { batchSize: 8 })
    expect(one.images).toHaveLength(9)
    expect(one.images.slice(0, 3).map((i) => i.frame)).toEqual([0, 1, 2])
    expect(one.images.slice(0, 3).map((i) => i.findings[0]!.present)).toEqual([false, true, false])
    const probs = (r: typeof one) => r.images.map((i) => i.findings[0]!.probability)
    for (const [i, p] of probs(one).entries()) expect(p).toBeCloseTo(probs(eight)[i]!, 5)
  })

  test('MONOCHROME1, signed and compressed (RLE, JPEG-LS) versions of the same image give the same answer', async () => {
    const pixels = syntheticChest({ seed: 9, nodules: [{ x: 180, y: 300, radius: 11 }] })
    const inverted = pixels.map((v) => 4095 - v)
    const signed = Int16Array.from(pixels, (v) => v - 2048)
    const native = writeDicom({ frames: [pixels], rows: 512, columns: 512 })
    const rle = await transcodeDicom(native, '1.2.840.10008.1.2.5')
    const jls = await transcodeDicom(native, '1.2.840.10008.1.2.4.80')
    expect(rle.length).toBeLessThan(native.length)
    expect((await decodeDicom(rle)).frames[0]).toEqual(pixels)
    const result = await analyze([
      native,
      writeDicom({ frames: [inverted], rows: 512, columns: 512, photometric: 'MONOCHROME1' }),
      writeDicom({
        frames: [signed],
        rows: 512,
        columns: 512,
        signed: true,
        rescaleIntercept: 2048,
      }),
      rle,
      jls,
    ])
    expect(result.failures).toEqual([])
    const p = result.images.map((i) => i.findings[0]!.probability)
    expect(result.images.every((i) => i.findings[0]!.present)).toBe(true)
    for (const x of p) expect(x).toBeCloseTo(p[0]!, 3)
  })
})

describe('bad input: typed errors naming the file; the batch goes on', () => {
  test('corrupt, truncated, no pixel module, unsupported transfer syntax, wrong modality', async () => {
    const good = chestDicom({ seed: 3 })
    const truncated = good.slice(0, good.length - 1000)
    const notDicom = new TextEncoder().encode('hello, this is not a DICOM file at all'.repeat(10))
    const noPixels = (() => {
      const bytes = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })
      return bytes
    })()
    const dir = tmp()
    writeFileSync(join(dir, 'b-truncated.dcm'), truncated)
    const results = await analyze([
      { name: 'good.dcm', bytes: good },
      join(dir, 'b-truncated.dcm'),
      { name: 'not-dicom.txt', bytes: notDicom },
      { name: 'mr.dcm', bytes: chestDicom({ seed: 4, modality: 'MR' }) },
      { name: 'knee.dcm', bytes: chestDicom({ seed: 4, bodyPart: 'KNEE' }) },
      { name: 'unsupported.dcm', bytes: withTransferSyntax(good, '1.2.840.10008.1.2.4.100') },
      { name: 'no-pixels.dcm', bytes: stripPixelData(noPixels) },
      { name: 'spp0.dcm', bytes: chestDicom({ seed: 5, extra: { SamplesPerPixel: 0 } }) },
      join(dir, 'missing.dcm'),
    ])
    expect(results.images.map((i) => i.file)).toEqual(['good.dcm'])
    const failures = Object.fromEntries(
      results.failures.map((f) => [f.file.replace(`${dir}/`, ''), f.error.code]),
    )
    expect(failures).toEqual({
      'b-truncated.dcm': 'COMPUTE_UNREADABLE_DICOM',
      'not-dicom.txt': 'COMPUTE_UNREADABLE_DICOM',
      'mr.dcm': 'COMPUTE_WRONG_MODALITY',
      'knee.dcm': 'COMPUTE_WRONG_MODALITY',
      'unsupported.dcm': 'COMPUTE_UNSUPPORTED_TRANSFER_SYNTAX',
      'no-pixels.dcm': 'COMPUTE_MISSING_PIXEL_DATA',
      'spp0.dcm': 'COMPUTE_INVALID_PIXEL_MODULE',
      'missing.dcm': 'COMPUTE_UNREADABLE_INPUT',
    })
    expect(results.failures.every((f) => f.error.name === 'ComputeError')).toBe(true)
    expect(results.failures.find((f) => f.file === 'knee.dcm')!.error.details).toMatchObject({
      file: 'knee.dcm',
      attribute: 'body part',
      value: 'KNEE',
    })
    const msg = results.failures.find((f) => f.file === 'mr.dcm')!.error.message
    expect(msg).toBe('mr.dcm: modality "MR" is not one this model applies to (CR, DX).')
  })
})

describe('folders: each file once, a bad entry fails alone', () => {
  test('a study reached through self -> . and a link loop: each image analysed once, the loop reported', async () => {
    const dir = tmp()
    const series = join(dir, 'series')
    mkdirSync(series)
    writeFileSync(join(series, '1.dcm'), chestDicom({ seed: 11 }))
    writeFileSync(join(series, '2.dcm'), chestDicom({ seed: 12 }))
    symlinkSync('.', join(series, 'self'))
    symlinkSync('..', join(series, 'parent'))
    symlinkSync('loop-b', join(series, 'loop-a'))
    symlinkSync('loop-a', join(series, 'loop-b'))
    const result = await analyze([dir, join(series, '1.dcm')])
    expect(result.images.map((i) => i.file.slice(dir.length + 1))).toEqual([
      'series/1.dcm',
      'series/2.dcm',
    ])
    expect(result.failures.map((f) => [f.file.slice(dir.length + 1), f.error.code])).toEqual([
      ['series/loop-a', 'COMPUTE_UNREADABLE_INPUT'],
      ['series/loop-b', 'COMPUTE_UNREADABLE_INPUT'],
    ])
  })
})

describe('manifests and backends', () => {
  const copyDemo = () => {
    const dir = tmp()
    cpSync(join(demoModelManifestPath(), '..'), dir, { recursive: true })
    return {
      dir,
      manifest: join(dir, 'manifest.json'),
      read: () => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')),
    }
  }

  test('a model file whose hash does not match is refused', async () => {
    const { dir, manifest } = copyDemo()
    writeFileSync(join(dir, 'model.onnx'), buildNoduleDemoModel({ scale: 1, bias: 0 }))
    const error = await loadModel(manifest).catch((e) => e)
    expect(error).toBeInstanceOf(ComputeError)
    expect(error.code).toBe('COMPUTE_MODEL_HASH_MISMATCH')
    expect(error.details.expected).not.toBe(error.details.actual)
  })

  test('a manifest that does not match the model is rejected, naming each mismatch', async () => {
    const { manifest, read } = copyDemo()
    const m = read()
    m.input.name = 'pixels'
    m.outputs[0].labels = ['nodule', 'mass']
    m.findings.push({ label: 'mass', output: 'scores', threshold: 0.5 })
    m.outputs.push({ name: 'boxes', kind: 'heatmap' })
    writeFileSync(manifest, JSON.stringify(m))
    const error = await loadModel(manifest).catch((e) => e)
    expect(error).toBeInstanceOf(ComputeError)
    expect((error as ComputeError).code).toBe('COMPUTE_MANIFEST_MISMATCH')
    expect((error as ComputeError).details!.problems).toEqual([
      'input "pixels" not in the model (it has image)',
      'output "scores" has 1 classes, manifest lists 2 labels',
      'output "boxes" not in the model (it has scores, heatmap, mask)',
    ])
    const { manifest: m2, read: read2 } = copyDemo()
    const wrongSize = read2()
    wrongSize.input.shape = [-1, 1, 512, 512]
    writeFileSync(m2, JSON.stringify(wrongSize))
    await expect(loadModel(m2)).rejects.toThrow(/input dim 2 is 256, manifest says 512/)
  })

  test('mask outputs: labels required, findings must name a mask output and one of its labels', async () => {
    const { manifest, read } = copyDemo()
    const m = read()
    m.outputs[2].labels = undefined
    m.outputs[1].threshold = 0.5
    m.findings[0].segmentWith = 'heatmap'
    writeFileSync(manifest, JSON.stringify(m))
    const error = await loadModel(manifest).catch((e) => e)
    expect(error).toBeInstanceOf(ComputeError)
    expect((error as ComputeError).code).toBe('COMPUTE_INVALID_MANIFEST')
    expect(issuesOf(error).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'outputs.1.threshold: only a mask output has a threshold',
      'outputs.2.labels: a mask output needs one label per channel',
      'findings.0.segmentWith: no mask output "heatmap"',
    ])
    const { manifest: m2, read: read2 } = copyDemo()
    const twoLabels = read2()
    twoLabels.outputs[2].labels = ['nodule', 'mass']
    writeFileSync(m2, JSON.stringify(twoLabels))
    await expect(loadModel(m2)).rejects.toThrow(/mask output "mask" has 1 channels/)
  })

  test('an invalid manifest is a validation error by path', async () => {
    const { manifest, read } = copyDemo()
    const m = read()
    m.sha256 = 'nope'
    m.preprocessing.window = { mode: 'percentile', low: 99, high: 1 }
    writeFileSync(manifest, JSON.stringify(m))
    const error = await loadModel(manifest).catch((e) => e)
    expect(error).toBeInstanceOf(ComputeError)
    expect(issuesOf(error).map((i) => i.path)).toEqual(['sha256', 'preprocessing.window.low'])
  })

  test('auto falls back to CPU and says why; remote is not available yet', async () => {
    await expect(selectBackend('remote')).rejects.toMatchObject({
      code: 'COMPUTE_BACKEND_UNAVAILABLE',
      details: { backend: 'remote' },
    })
    const choice = await selectBackend('auto')
    const cuda = await probeBackend('cuda')
    const webgpu = await probeBackend('webgpu')
    // on a GPU machine auto picks the GPU (covered by gpu.test.ts); here it falls back to CPU
    if (cuda && webgpu) {
      expect(choice.backend).toBe('cpu')
      expect(choice.reason).toMatch(/^auto: fell back to cpu \(cuda: .+; webgpu: .+\)$/)
    } else expect(choice.backend).not.toBe('cpu')
  })
})

const issuesOf = (error: ComputeError) =>
  error.details!.issues as { path: string; message: string }[]

/** Rewrites the transfer syntax UID in the file meta (same length), keeping everything else. */
function withTransferSyntax(bytes: Uint8Array, uid: string): Uint8Array {
  const out = bytes.slice()
  const text = new TextDecoder('latin1').decode(out)
  const at = text.indexOf('1.2.840.10008.1.2.1\0')
  const padded = uid.length % 2 ? `${uid}\0` : uid
  const lengthAt = at - 2
  const view = new DataView(out.buffer)
  const old = view.getUint16(lengthAt, true)
  const enc = new TextEncoder().encode(padded)
  const result = new Uint8Array(out.length - old + enc.length)
  result.set(out.subarray(0, lengthAt))
  new DataView(result.buffer).setUint16(lengthAt, enc.length, true)
  result.set(enc, lengthAt + 2)
  result.set(out.subarray(lengthAt + 2 + old), lengthAt + 2 + enc.length)
  // fix the group length (0002,0000) — UL right after its tag/VR/len at offset 132+8
  const glView = new DataView(result.buffer)
  glView.setUint32(140, glView.getUint32(140, true) + enc.length - old, true)
  return result
}

/** Drops the PixelData element (the last element of these files). */
function stripPixelData(bytes: Uint8Array): Uint8Array {
  for (let i = bytes.length - 12; i > 132; i--)
    if (
      bytes[i] === 0xe0 &&
      bytes[i + 1] === 0x7f &&
      bytes[i + 2] === 0x10 &&
      bytes[i + 3] === 0x00
    )
      return bytes.slice(0, i)
  throw new Error('no PixelData')
}

test('sha256 of the shipped demo model matches its manifest', () => {
  const manifest = JSON.parse(readFileSync(demoModelManifestPath(), 'utf8'))
  const bytes = readFileSync(join(demoModelManifestPath(), '..', manifest.model))
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifest.sha256)
})

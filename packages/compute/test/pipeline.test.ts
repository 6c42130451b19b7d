import { describe, expect, test } from 'vitest'
import { maskFromOutput, probabilitiesFromOutput } from '../src/analyze.js'
import { decodeDicom } from '../src/dicom/decodeDicom.js'
import { type ModelManifestInput, manifestSchema } from '../src/manifest/schema.js'
import { preprocessFrame } from '../src/preprocess/preprocessFrame.js'
import { writeDicom } from '../src/testing/writeDicom.js'

const manifest = (
  over: Partial<ModelManifestInput['preprocessing']>,
  size = 2,
  channels = 1,
  layout: 'NCHW' | 'NHWC' = 'NCHW',
) =>
  manifestSchema.parse({
    id: 't',
    name: 't',
    version: '1',
    intendedUse: 'test',
    model: 'm.onnx',
    sha256: '0'.repeat(64),
    modalities: ['DX'],
    input: {
      name: 'x',
      shape: layout === 'NCHW' ? [-1, channels, size, size] : [-1, size, size, channels],
      layout,
      dtype: 'float32',
    },
    preprocessing: {
      window: { mode: 'fixed', center: 50.5, width: 101 },
      interpolation: 'nearest',
      normalize: { mean: [0], std: [1] },
      ...over,
    },
    outputs: [{ name: 's', kind: 'scores', labels: ['a'] }],
    findings: [{ label: 'a', output: 's', threshold: 0.5 }],
  })

const run = async (
  pixels: Uint16Array | Int16Array,
  m: ReturnType<typeof manifest>,
  dicom: Parameters<typeof writeDicom>[0] extends infer O ? Partial<O> : never = {},
) => {
  const side = Math.sqrt(pixels.length)
  const image = await decodeDicom(
    writeDicom({ frames: [pixels], rows: side, columns: side, ...dicom }),
  )
  const [, a, b, c] = m.input.shape
  const data = new Float32Array(a * b * c)
  const used = preprocessFrame(image, 0, m, { data, index: 0 })
  return { data: Array.from(data, (v) => Math.round(v * 1e4) / 1e4), used }
}

describe('pixel pipeline: known values through rescale, window, resize, normalisation', () => {
  // A window of centre 50.5, width 101 maps x to (x - 0) / 100: 0 → 0, 100 → 1 (PS3.3 C.11.2.1.2.1).
  test('rescale then window', async () => {
    const px = Uint16Array.from([10, 20, 30, 40])
    expect((await run(px, manifest({}))).data).toEqual([0.1, 0.2, 0.3, 0.4])
    // slope 2, intercept -10: 10 → 10, 20 → 30 ...
    expect((await run(px, manifest({}), { rescaleSlope: 2, rescaleIntercept: -10 })).data).toEqual([
      0.1, 0.3, 0.5, 0.7,
    ])
    // rescale off: raw values
    expect(
      (await run(px, manifest({ rescale: false }), { rescaleSlope: 2, rescaleIntercept: -10 }))
        .data,
    ).toEqual([0.1, 0.2, 0.3, 0.4])
  })

  test("the file's own window, clamping, and MONOCHROME1 inversion", async () => {
    const px = Uint16Array.from([0, 50, 150, 100])
    const m = manifest({ window: { mode: 'dicom' } })
    expect((await run(px, m, { windowCenter: 50.5, windowWidth: 101 })).data).toEqual([
      0, 0.5, 1, 1,
    ])
    expect(
      (await run(px, m, { windowCenter: 50.5, windowWidth: 101, photometric: 'MONOCHROME1' })).data,
    ).toEqual([1, 0.5, 0, 0])
  })

  test('signed 12-bit pixels are sign-extended (HU-like values)', async () => {
    // stored 12 bits: -1024 is 0xC00; put garbage in the unused high bits to prove the mask
    const raw = Int16Array.from(
      [-1024, 0, 1000, 2047].map((v) => (v & 0xfff) | (v < 0 ? 0x5000 : 0x3000)),
    )
    const m = manifest({ window: { mode: 'fixed', center: 0.5, width: 2049 } }) // maps -1024..1024 to 0..1
    expect((await run(raw, m, { signed: true, bitsStored: 12 })).data).toEqual([0, 0.5, 0.9883, 1])
  })

  test("percentile window uses the frame's own distribution", async () => {
    const px = Uint16Array.from({ length: 100 }, (_, i) => i) // 0..99
    const m = manifest({ window: { mode: 'percentile', low: 0, high: 100 } }, 2)
    const { used } = await run(px, m)
    expect(used).toEqual({ low: 0, high: 99 })
  })

  test('resize: nearest, bilinear and area on a 4×4 ramp to 2×2', async () => {
    const px = Uint16Array.from([0, 10, 20, 30, 0, 10, 20, 30, 40, 50, 60, 70, 40, 50, 60, 70])
    expect((await run(px, manifest({ interpolation: 'nearest' }))).data).toEqual([
      0.1, 0.3, 0.5, 0.7,
    ])
    expect((await run(px, manifest({ interpolation: 'area' }))).data).toEqual([
      0.05, 0.25, 0.45, 0.65,
    ])
    expect((await run(px, manifest({ interpolation: 'bilinear' }))).data).toEqual([
      0.05, 0.25, 0.45, 0.65,
    ])
    // upsampling 4×4 → 8×8 bilinear keeps the corners
    const up = await run(px, manifest({ interpolation: 'bilinear' }, 8))
    expect([up.data[0], up.data[7], up.data[56], up.data[63]]).toEqual([0, 0.3, 0.4, 0.7])
  })

  test('normalisation per channel and channel replication, NCHW and NHWC', async () => {
    const px = Uint16Array.from([10, 20, 30, 40])
    const chw = await run(
      px,
      manifest({ normalize: { mean: [0.1, 0, 0], std: [0.1, 1, 2] } }, 2, 3),
    )
    expect(chw.data).toEqual([0, 1, 2, 3, 0.1, 0.2, 0.3, 0.4, 0.05, 0.1, 0.15, 0.2])
    const hwc = await run(px, manifest({ normalize: { mean: [0], std: [1] } }, 2, 3, 'NHWC'))
    expect(hwc.data).toEqual([0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.4, 0.4, 0.4])
  })

  test('multi-frame: each frame is its own view', async () => {
    const f1 = Uint16Array.from([10, 20, 30, 40])
    const f2 = Uint16Array.from([40, 30, 20, 10])
    const image = await decodeDicom(writeDicom({ frames: [f1, f2], rows: 2, columns: 2 }))
    expect(image.frames).toHaveLength(2)
    const data = new Float32Array(8)
    const m = manifest({})
    preprocessFrame(image, 0, m, { data, index: 0 })
    preprocessFrame(image, 1, m, { data, index: 1 })
    expect(Array.from(data, (v) => Math.round(v * 1e4) / 1e4)).toEqual([
      0.1, 0.2, 0.3, 0.4, 0.4, 0.3, 0.2, 0.1,
    ])
  })
})

describe('mask outputs', () => {
  test('thresholded on the model grid, then scaled to the source size by pixel centres', () => {
    // one image, two channels, 2×2 grid; channel 0 high at top-left and bottom-right
    const data = Float32Array.from([4, -4, -4, 4, 0, 0, 0, 0])
    const mask = maskFromOutput(
      { data: data, dims: [1, 2, 2, 2], index: 0, channel: 0, activation: 'sigmoid' },
      0.5,
      { columns: 4, rows: 3 },
    )
    expect(mask).toMatchObject({ rows: 3, columns: 4, area: 6 })
    // row centres 0.5, 1.5, 2.5 of 3 fall at 0.33, 1.0, 1.67 on the 2-row grid: rows 0 | 1 | 1
    expect(Array.from(mask.pixels)).toEqual([1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1])
  })

  test('softmax is across channels per pixel; the threshold applies after activation', () => {
    // pixel 0: channel 1 wins; pixel 1: channel 0 wins; pixel 2: a tie (0.5 each)
    const data = Float32Array.from([0, 3, 1, /* channel 1 */ 2, 0, 1])
    const plane = (channel: number, threshold: number) =>
      Array.from(
        maskFromOutput(
          { data: data, dims: [1, 2, 1, 3], index: 0, channel: channel, activation: 'softmax' },
          threshold,
          { columns: 3, rows: 1 },
        ).pixels,
      )
    expect(plane(1, 0.5)).toEqual([1, 0, 1])
    expect(plane(0, 0.5)).toEqual([0, 1, 1])
    expect(plane(0, 0.51)).toEqual([0, 1, 0])
    expect(
      Array.from(
        maskFromOutput(
          { data: data, dims: [1, 2, 1, 3], index: 0, channel: 1, activation: 'none' },
          1,
          { columns: 3, rows: 1 },
        ).pixels,
      ),
    ).toEqual([1, 0, 1])
  })

  test('the batch index selects the image', () => {
    const data = Float32Array.from([1, 1, 0, 0, /* image 1 */ 0, 0, 1, 1])
    const m = maskFromOutput(
      { data: data, dims: [2, 1, 2, 2], index: 1, channel: 0, activation: 'none' },
      0.5,
      { columns: 2, rows: 2 },
    )
    expect(Array.from(m.pixels)).toEqual([0, 0, 1, 1])
  })
})

test('mask probabilities: activated, clamped, 0–255, scaled like the mask', () => {
  // sigmoid(0) = 0.5 → 128; sigmoid(±∞-ish) → 255 / 0; one image, one channel, 1×2 → 1×4
  const data = Float32Array.from([0, 40])
  expect(
    Array.from(
      probabilitiesFromOutput(
        { data: data, dims: [1, 1, 1, 2], index: 0, channel: 0, activation: 'sigmoid' },
        { columns: 4, rows: 1 },
      ),
    ),
  ).toEqual([128, 128, 255, 255])
  // `none`: taken as is, clamped
  const raw = Float32Array.from([-0.5, 0.25, 2])
  expect(
    Array.from(
      probabilitiesFromOutput(
        { data: raw, dims: [1, 1, 1, 3], index: 0, channel: 0, activation: 'none' },
        { columns: 3, rows: 1 },
      ),
    ),
  ).toEqual([0, 64, 255])
})

import { describe, expect, test } from 'vitest'
import { decodeDicom } from '../dicom/decodeDicom.js'
import { type ModelManifestInput, manifestSchema } from '../manifest/schema.js'
import { mulberry32 } from '../testing/syntheticChest.js'
import { writeDicom } from '../testing/writeDicom.js'
import { preprocessFrame } from './preprocessFrame.js'

type Case = {
  bits: 8 | 12 | 16
  signed: boolean
  monochrome1: boolean
  slope: number
  intercept: number
  window: ModelManifestInput['preprocessing']['window']
  size: number
  channels: number
  layout: 'NCHW' | 'NHWC'
}

/** The plain reference: every step in doubles, pixel by pixel, with the window `preprocessFrame` reports. */
function reference(
  px: ArrayLike<number>,
  side: number,
  c: Case,
  low: number,
  high: number,
): number[] {
  const out: number[] = []
  const k = side / c.size
  const value = (v: number) => {
    const y = Math.min(1, Math.max(0, (c.slope * v + c.intercept - low) / (high - low)))
    return c.monochrome1 ? 1 - y : y
  }
  const plane: number[] = []
  for (let y = 0; y < c.size; y++)
    for (let x = 0; x < c.size; x++) {
      let sum = 0
      for (let dy = 0; dy < k; dy++)
        for (let dx = 0; dx < k; dx++) sum += value(px[(y * k + dy) * side + x * k + dx]!)
      plane.push(sum / (k * k))
    }
  const mean = [0.5, 0.4, 0.3]
  const std = [0.25, 0.5, 1]
  for (let i = 0; i < c.channels * plane.length; i++) {
    const [ch, p] =
      c.layout === 'NCHW'
        ? [Math.floor(i / plane.length), i % plane.length]
        : [i % c.channels, Math.floor(i / c.channels)]
    out.push((plane[p]! - mean[ch]!) / std[ch]!)
  }
  return out
}

function manifest(c: Case) {
  const s = c.size
  return manifestSchema.parse({
    id: 't',
    name: 't',
    version: '1',
    intendedUse: 'test',
    model: 'm.onnx',
    sha256: '0'.repeat(64),
    modalities: ['DX'],
    input: {
      name: 'x',
      shape: c.layout === 'NCHW' ? [-1, c.channels, s, s] : [-1, s, s, c.channels],
      layout: c.layout,
      dtype: 'float32',
    },
    preprocessing: {
      window: c.window,
      interpolation: 'area',
      normalize: {
        mean: [0.5, 0.4, 0.3].slice(0, c.channels),
        std: [0.25, 0.5, 1].slice(0, c.channels),
      },
    },
    outputs: [{ name: 's', kind: 'scores', labels: ['a'] }],
    findings: [{ label: 'a', output: 's', threshold: 0.5 }],
  })
}

describe('preprocessFrame: the fused fast paths agree with a plain reference', () => {
  test('varied bit depths, signs, rescales, windows, inversion, sizes, channels and layouts', async () => {
    const random = mulberry32(7)
    const windows: Case['window'][] = [
      { mode: 'percentile', low: 1, high: 99 },
      { mode: 'percentile', low: 10, high: 60 },
      { mode: 'fixed', center: 100, width: 700 },
      { mode: 'dicom' },
    ]
    for (let k = 0; k < 32; k++) {
      const c: Case = {
        bits: ([8, 12, 16] as const)[k % 3]!,
        signed: k % 2 === 1,
        monochrome1: k % 5 === 0,
        slope: [1, 2, 0.5][k % 3]!,
        intercept: [0, -100, 50][k % 4 === 3 ? 0 : k % 3]!,
        window: windows[k % 4]!,
        size: [4, 8][k % 2]!,
        channels: k % 7 === 0 ? 3 : 1,
        layout: k % 6 === 0 ? 'NHWC' : 'NCHW',
      }
      const side = c.size * [1, 2, 4][k % 3]!
      const range = 2 ** c.bits
      const raw = Array.from(
        { length: side * side },
        () => Math.floor(random() * range) - (c.signed ? range / 2 : 0),
      )
      // 8-bit pixels are written as unsigned bytes (two's complement when signed)
      const frames = [
        c.bits === 8
          ? Uint8Array.from(raw, (v) => v & 0xff)
          : c.signed
            ? Int16Array.from(raw)
            : Uint16Array.from(raw),
      ]
      const bytes = writeDicom({
        frames,
        rows: side,
        columns: side,
        signed: c.signed,
        bitsStored: c.bits,
        rescaleSlope: c.slope,
        rescaleIntercept: c.intercept,
        photometric: c.monochrome1 ? 'MONOCHROME1' : 'MONOCHROME2',
      })
      const image = await decodeDicom(bytes)
      const data = new Float32Array(c.channels * c.size * c.size)
      const { low, high } = preprocessFrame(image, 0, manifest(c), { data, index: 0 })
      const want = reference(raw, side, c, low, high)
      for (let i = 0; i < want.length; i++) expect(data[i]).toBeCloseTo(want[i]!, 4)
    }
  })
})

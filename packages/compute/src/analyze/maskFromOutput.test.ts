import { describe, expect, test } from 'vitest'
import { mulberry32 } from '../testing/syntheticChest.js'
import { maskFromOutput } from './maskFromOutput.js'

/** The plain reference: sigmoid per grid pixel, threshold, nearest-neighbour at pixel centres, count. */
function reference(
  data: Float32Array,
  h: number,
  w: number,
  threshold: number,
  rows: number,
  columns: number,
) {
  const pixels = new Uint8Array(rows * columns)
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) {
      const gy = Math.min(h - 1, Math.floor(((r + 0.5) * h) / rows))
      const gx = Math.min(w - 1, Math.floor(((c + 0.5) * w) / columns))
      pixels[r * columns + c] = 1 / (1 + Math.exp(-data[gy * w + gx]!)) >= threshold ? 1 : 0
    }
  return { pixels, area: pixels.reduce((a, b) => a + b, 0) }
}

describe('maskFromOutput (sparse rows skipped, area from the grid) agrees with the plain reference', () => {
  test('varied grids, sizes, thresholds and sparsity', () => {
    const random = mulberry32(42)
    for (let k = 0; k < 60; k++) {
      const h = 1 + Math.floor(random() * 20)
      const w = 1 + Math.floor(random() * 20)
      const rows = 1 + Math.floor(random() * 50)
      const columns = 1 + Math.floor(random() * 50)
      const sparsity = random()
      const data = Float32Array.from(
        { length: h * w },
        () => (random() < sparsity ? 3 : -3) * random(),
      )
      const threshold = 0.05 + 0.9 * random()
      const got = maskFromOutput(
        { data, dims: [1, 1, h, w], index: 0, channel: 0, activation: 'sigmoid' },
        threshold,
        {
          rows,
          columns,
        },
      )
      const want = reference(data, h, w, threshold, rows, columns)
      expect(got.area).toBe(want.area)
      expect(Array.from(got.pixels)).toEqual(Array.from(want.pixels))
    }
  })

  test('nothing above the threshold: an empty mask, area 0', () => {
    const data = new Float32Array(16).fill(-5)
    const mask = maskFromOutput(
      { data, dims: [1, 1, 4, 4], index: 0, channel: 0, activation: 'sigmoid' },
      0.5,
      {
        rows: 8,
        columns: 8,
      },
    )
    expect(mask.area).toBe(0)
    expect(mask.pixels.every((v) => v === 0)).toBe(true)
  })

  test('wrong arguments are refused with the package code', () => {
    const data = new Float32Array(4)
    expect(() =>
      maskFromOutput(
        { data, dims: [1, 1, 4, 4], index: 0, channel: 0, activation: 'sigmoid' },
        0.5,
        { rows: 2, columns: 2 },
      ),
    ).toThrow(expect.objectContaining({ code: 'COMPUTE_INVALID_ARGUMENT' }))
    expect(() =>
      maskFromOutput(
        { data, dims: [1, 1, 2, 2], index: 1, channel: 0, activation: 'sigmoid' },
        0.5,
        { rows: 2, columns: 2 },
      ),
    ).toThrow(expect.objectContaining({ code: 'COMPUTE_INVALID_ARGUMENT' }))
    expect(() =>
      maskFromOutput(
        { data, dims: [1, 1, 2, 2], index: 0, channel: 0, activation: 'sigmoid' },
        Number.NaN,
        {
          rows: 2,
          columns: 2,
        },
      ),
    ).toThrow(expect.objectContaining({ code: 'COMPUTE_INVALID_ARGUMENT' }))
  })
})

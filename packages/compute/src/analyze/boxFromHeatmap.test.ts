import { describe, expect, test } from 'vitest'
import { mulberry32 } from '../testing/syntheticChest.js'
import { boxFromHeatmap } from './boxFromHeatmap.js'

/** The box by a plain scan: the first largest value (NaN skipped unless first), grown while ≥ half. */
function plainBox(plane: Float32Array, h: number, w: number) {
  let peak = 0
  for (let i = 1; i < plane.length; i++) if (plane[i]! > plane[peak]!) peak = i
  const [py, px, half] = [Math.floor(peak / w), peak % w, plane[peak]! / 2]
  let [x0, x1, y0, y1] = [px, px, py, py]
  while (x0 > 0 && plane[py * w + x0 - 1]! >= half) x0--
  while (x1 < w - 1 && plane[py * w + x1 + 1]! >= half) x1++
  while (y0 > 0 && plane[(y0 - 1) * w + px]! >= half) y0--
  while (y1 < h - 1 && plane[(y1 + 1) * w + px]! >= half) y1++
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }
}

describe('boxFromHeatmap', () => {
  test('the box around the peak where the heatmap stays above half of it, in source pixels', () => {
    // 4×4 grid, peak at (2, 1), its right and lower neighbours above half
    const data = Float32Array.from([0, 0, 0, 0, 0, 0, 8, 5, 0, 0, 5, 0, 0, 0, 1, 0])
    expect(boxFromHeatmap(data, [1, 1, 4, 4], 0, 8, 8)).toEqual({ x: 4, y: 2, width: 4, height: 4 })
  })

  test('the batch index selects the image; the first of equal peaks wins', () => {
    const data = Float32Array.from([9, 0, 0, 0, /* image 1 */ 0, 0, 3, 3])
    expect(boxFromHeatmap(data, [2, 1, 2, 2], 1, 2, 2)).toEqual({ x: 0, y: 1, width: 2, height: 1 })
  })

  test('arguments are checked', () => {
    expect(() => boxFromHeatmap(new Float32Array(3), [1, 1, 2, 2], 0, 2, 2)).toThrow(
      expect.objectContaining({ code: 'COMPUTE_INVALID_ARGUMENT' }),
    )
  })

  test("the box is the plain scan's (first of equal maxima, NaN and -Infinity, any width)", () => {
    const random = mulberry32(11)
    for (let k = 0; k < 300; k++) {
      const h = 1 + Math.floor(random() * 9)
      const w = 1 + Math.floor(random() * 11)
      const special = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 7, 7]
      const data = Float32Array.from({ length: h * w }, () =>
        random() < 0.15
          ? special[Math.floor(random() * special.length)]!
          : Math.floor(random() * 8),
      )
      if (k % 10 === 0) data.fill(Number.NaN)
      // one source pixel per grid cell
      expect(boxFromHeatmap(data, [1, 1, h, w], 0, w, h)).toEqual(plainBox(data, h, w))
    }
  })
})

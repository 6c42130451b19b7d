import { describe, expect, test } from 'vitest'
import { boxFromHeatmap } from './boxFromHeatmap.js'

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
})

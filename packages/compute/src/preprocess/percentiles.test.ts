import { describe, expect, test } from 'vitest'
import { mulberry32 } from '../testing/syntheticChest.js'
import { indexPercentiles, PERCENTILE_SAMPLES } from './percentiles.js'

/** The exact percentile (nearest rank) of all values. */
function exact(values: number[], pct: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((pct / 100) * sorted.length) - 1)]!
}

describe('indexPercentiles', () => {
  test('on a small frame every pixel is counted: the exact percentiles', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 37) % 1000)
    const [low, high] = indexPercentiles(Uint16Array.from(values), 1, 1023, 0, 1, 0, 1, 99)
    expect([low, high]).toEqual([exact(values, 1), exact(values, 99)])
  })

  test(`a strided sample of at least ${PERCENTILE_SAMPLES} pixels of a large frame is within 0.2 percentile points`, () => {
    const random = mulberry32(3)
    const values = Array.from({ length: 512 * 512 }, () => Math.floor(4095 * random() ** 2))
    const [low, high] = indexPercentiles(Uint16Array.from(values), 1, 4095, 0, 1, 0, 1, 99)
    expect(low).toBeGreaterThanOrEqual(exact(values, 0.8))
    expect(low).toBeLessThanOrEqual(exact(values, 1.2))
    expect(high).toBeGreaterThanOrEqual(exact(values, 98.8))
    expect(high).toBeLessThanOrEqual(exact(values, 99.2))
  })

  test('signed values (offset binary), rescale, and a constant frame still gives high > low', () => {
    const signed = Int16Array.from([-5, -5, 3, 3])
    expect(indexPercentiles(signed, 1, 0xfff, 0x800, 2, 10, 0, 100)).toEqual([0, 16])
    expect(indexPercentiles(Uint16Array.from([7, 7, 7]), 1, 0xff, 0, 1, 0, 1, 99)).toEqual([7, 8])
  })
})

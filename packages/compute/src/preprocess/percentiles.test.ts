import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { PixelArray } from '../dicom/decodeDicom.js'
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

/** The previous implementation (one forward scan per percentile), kept as the reference. */
function reference(
  pixels: PixelArray,
  samples: number,
  mask: number,
  flip: number,
  slope: number,
  intercept: number,
  lowPct: number,
  highPct: number,
): [number, number] {
  const bins = new Uint32Array(mask + 1)
  let count = 0
  const stride = samples * Math.max(1, Math.floor(pixels.length / samples / PERCENTILE_SAMPLES))
  for (let i = 0; i < pixels.length; i += stride) {
    bins[(pixels[i]! & mask) ^ flip]!++
    count++
  }
  const find = (pct: number) => {
    const target = Math.max(1, (pct / 100) * count)
    let acc = 0
    for (let b = 0; b < bins.length; b++) {
      acc += bins[b]!
      if (acc >= target) return b - flip
    }
    return bins.length - 1 - flip
  }
  const [a, b] = [slope * find(lowPct) + intercept, slope * find(highPct) + intercept]
  const [l, h] = a <= b ? [a, b] : [b, a]
  return [l, h > l ? h : l + 1]
}

describe('indexPercentiles against the previous implementation', () => {
  test('the same values for any data, depth, sign, samples per pixel and percentiles', () => {
    fc.assert(
      fc.property(
        fc.record({
          bits: fc.integer({ min: 1, max: 16 }),
          signed: fc.boolean(),
          samples: fc.constantFrom(1, 3),
          length: fc.oneof(
            fc.integer({ min: 0, max: 3000 }),
            fc.integer({ min: 16_000, max: 70_000 }),
          ),
          seed: fc.integer(),
          spread: fc.double({ min: 0, max: 1, noNaN: true }),
          pcts: fc.tuple(
            fc.double({ min: 0, max: 100, noNaN: true }),
            fc.double({ min: 0, max: 100, noNaN: true }),
          ),
          slope: fc.constantFrom(1, 0.5, -2),
        }),
        ({ bits, signed, samples, length, seed, spread, pcts, slope }) => {
          const random = mulberry32(seed)
          const wide = bits > 8
          const pixels = signed
            ? wide
              ? new Int16Array(length)
              : new Int8Array(length)
            : wide
              ? new Uint16Array(length)
              : new Uint8Array(length)
          const base = Math.floor(random() * 65_536)
          for (let i = 0; i < length; i++)
            pixels[i] = base + Math.floor((random() * spread) ** 2 * 65_536)
          const mask = 2 ** bits - 1
          const flip = signed ? 2 ** (bits - 1) : 0
          const args = [pixels, samples, mask, flip, slope, 7, pcts[0], pcts[1]] as const
          expect(indexPercentiles(...args)).toEqual(reference(...args))
        },
      ),
      { numRuns: 300 },
    )
  })
})

import { describe, expect, test } from 'vitest'
import { rowMax } from '../analyze/grid.js'
import { mulberry32 } from '../testing/syntheticChest.js'
import { areaFromRaw } from './areaFromRaw.js'
import { MAX_BYTES, simdArea2x2, simdRowMaxima } from './simd.js'
import { buildLut, rawLut } from './storedValue.js'

describe('simdArea2x2 (WebAssembly SIMD) agrees with the lookup-table loop', () => {
  test('stored bits with garbage above them, signed and unsigned, inverted, windows, sizes', () => {
    const random = mulberry32(5)
    for (let k = 0; k < 40; k++) {
      const bitsStored = [10, 12, 14, 16][k % 4]!
      const signed = k % 3 === 1
      const invert = k % 5 === 0
      const height = 1 + Math.floor(random() * 9)
      const width = 4 * (1 + Math.floor(random() * 6))
      const cols = 2 * width + (k % 2) * 2 // rows may be wider than 2·width (ignored columns)
      // any 16-bit pattern: bits above the stored bits must be ignored
      const pixels = Uint16Array.from({ length: 2 * height * cols }, () =>
        Math.floor(random() * 65_536),
      )
      const mask = bitsStored >= 32 ? -1 : 2 ** bitsStored - 1
      const flip = signed ? 2 ** (bitsStored - 1) : 0
      const [slope, intercept] = [[1, 2, 0.5][k % 3]!, [0, -100, 50][k % 3]!]
      const low = (random() - 0.5) * 2 ** bitsStored
      const scale = 1 / (1 + random() * 2 ** (bitsStored - 1))
      const [m, inv] = [0.5, 1 / 0.25]
      const want = new Float32Array(height * width)
      const lut = buildLut(bitsStored, flip, slope, intercept, low, scale, invert)
      areaFromRaw(
        pixels,
        rawLut(lut, bitsStored, flip, 16),
        cols,
        2,
        2,
        want,
        height,
        width,
        m,
        inv,
      )
      const got = new Float32Array(height * width)
      const a = slope * scale
      const b = (intercept - slope * flip - low) * scale
      const ran = simdArea2x2(
        pixels,
        cols,
        mask,
        flip,
        invert ? -a : a,
        invert ? 1 - b : b,
        got,
        height,
        width,
        m,
        inv,
      )
      expect(ran).toBe(true)
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4)
    }
  })

  test('a width that is not a multiple of 4 is left to the caller (false, nothing written)', () => {
    const out = new Float32Array(6).fill(7)
    expect(simdArea2x2(new Uint16Array(24), 6, 0xfff, 0, 1, 0, out, 2, 3, 0, 1)).toBe(false)
    expect([...out]).toEqual([7, 7, 7, 7, 7, 7])
  })
})

describe('simdRowMaxima (WebAssembly SIMD) agrees with the row-by-row scan', () => {
  test('rows with NaN, ±Infinity, -0 and ties; an offset into the data', () => {
    const random = mulberry32(9)
    const special = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0, 0]
    for (let k = 0; k < 60; k++) {
      const h = 1 + Math.floor(random() * 12)
      const w = 4 * (1 + Math.floor(random() * 8))
      const from = Math.floor(random() * 5)
      const data = Float32Array.from({ length: from + h * w }, () =>
        random() < 0.2 ? special[Math.floor(random() * special.length)]! : random() * 10 - 5,
      )
      if (k % 7 === 0) data.fill(Number.NaN, from, from + w)
      const maxima = simdRowMaxima(data, from, h, w)
      expect(maxima).toBeDefined()
      for (let y = 0; y < h; y++) expect(maxima![y]).toBe(rowMax(data, from + y * w, w))
    }
  })

  test('a row length that is not a multiple of 4, or a plane over the memory cap, is left to the caller', () => {
    expect(simdRowMaxima(new Float32Array(6), 0, 2, 3)).toBeUndefined()
    // rows of 4 values: the cap is reached by the row count alone (the data is not read)
    expect(simdRowMaxima(new Float32Array(4), 0, MAX_BYTES / 16 + 1, 4)).toBeUndefined()
  })
})

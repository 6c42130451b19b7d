import { expect, test } from 'vitest'
import { findingOf, maskOf } from '../../test/resultFixture.js'
import { burnBoxes, burnOutlines, windowTo8Bits } from './overlayPixels.js'

test('windowTo8Bits: the 1st–99th percentile spans 0–255; MONOCHROME1 is inverted', () => {
  const frame = Uint16Array.from({ length: 100 }, (_, i) => i * 10)
  const o = { rows: 10, columns: 10, samplesPerPixel: 1, monochrome1: false }
  const px = windowTo8Bits(frame, o)
  expect(px[0]).toBe(0)
  expect(px[99]).toBe(255)
  expect(px[50]).toBeGreaterThan(100)
  expect(px[50]).toBeLessThan(160)
  const inverted = windowTo8Bits(frame, { ...o, monochrome1: true })
  expect(Array.from(inverted)).toEqual(Array.from(px).map((v) => 255 - v))
})

test('burnOutlines: only the edge of a present mask; burnBoxes: the box border, clipped', () => {
  const square = [18, 19, 20, 26, 27, 28, 34, 35, 36] // 3×3 at (2..4, 2..4) of 8×8
  const px = new Uint8Array(64)
  burnOutlines(px, [findingOf('a', maskOf(square)), { ...findingOf('b'), mask: maskOf([0]) }], 8, 8)
  expect(px[27]).toBe(0) // the centre is not an edge
  expect(square.filter((i) => i !== 27).every((i) => px[i] === 255)).toBe(true)
  expect(px[0]).toBe(0) // an absent finding's mask is not drawn
  const boxed = new Uint8Array(64)
  burnBoxes(
    boxed,
    [{ ...findingOf('a', maskOf([])), box: { x: 5, y: 5, width: 10, height: 10 } }],
    8,
    8,
  )
  expect(boxed[5 * 8 + 5]).toBe(255)
  expect(boxed[7 * 8 + 7]).toBe(255)
  expect(boxed[0]).toBe(0)
})

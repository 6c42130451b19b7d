import { inflateSync } from 'node:zlib'
import type { DecodedImage } from '@btt/compute'
import { expect, test } from 'vitest'
import { overlayPng } from './overlayPng.js'

const image = (
  o: Partial<DecodedImage> & { frames: DecodedImage['frames']; rows: number; columns: number },
) =>
  ({
    samplesPerPixel: 1,
    rescaleSlope: 1,
    rescaleIntercept: 0,
    photometricInterpretation: 'MONOCHROME2',
    windowCenter: undefined,
    windowWidth: undefined,
    ...o,
  }) as DecodedImage

/** Width, height and the gray rows of an 8-bit grayscale PNG. */
function readPng(png: Uint8Array) {
  const b = Buffer.from(png)
  expect(b.subarray(1, 4).toString()).toBe('PNG')
  const [w, h] = [b.readUInt32BE(16), b.readUInt32BE(20)]
  const idat = b.indexOf('IDAT')
  const raw = inflateSync(b.subarray(idat + 4, idat + 4 + b.readUInt32BE(idat - 4)))
  return {
    w,
    h,
    rows: Array.from({ length: h }, (_, y) => [
      ...raw.subarray(y * (w + 1) + 1, (y + 1) * (w + 1)),
    ]),
  }
}

test('a 2×2 frame windowed over its range; MONOCHROME1 inverted', () => {
  const frames = [new Uint16Array([0, 100, 200, 400])]
  expect(readPng(overlayPng(image({ frames, rows: 2, columns: 2 })).png).rows).toEqual([
    [0, 64],
    [128, 255],
  ])
  expect(
    readPng(
      overlayPng(image({ frames, rows: 2, columns: 2, photometricInterpretation: 'MONOCHROME1' }))
        .png,
    ).rows,
  ).toEqual([
    [255, 191],
    [127, 0],
  ])
})

test('the file window is used; a large frame is reduced by a whole factor, reported as the scale', () => {
  const frames = [new Uint16Array(3000 * 2000).fill(50)]
  const { png, scale } = overlayPng(
    image({ frames, rows: 2000, columns: 3000, windowCenter: 100, windowWidth: 200 }),
    { maxSize: 1024 },
  )
  expect(scale).toBe(3)
  const { w, h, rows } = readPng(png)
  expect([w, h]).toEqual([1000, 667])
  expect(rows[0]![0]).toBe(64) // (50 − 0) × 255 / 200, rounded
})

test('a frame the image does not have is refused', () => {
  expect(() =>
    overlayPng(image({ frames: [new Uint8Array(4)], rows: 2, columns: 2 }), { frame: 1 }),
  ).toThrow(expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }))
})

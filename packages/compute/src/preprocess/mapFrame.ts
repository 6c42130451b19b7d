import type { PixelArray } from '../dicom/decodeDicom.js'
import type { PixelCoding } from './pixelCoding.js'

let valuesScratch = new Float32Array(0)

/**
 * Every pixel of a frame as its windowed grey value in [0, 1], at full resolution, into a reused
 * scratch plane (valid until the next call): through the lookup table for 8/16-bit data, else
 * through `map`. Colour pixels are weighted per {@link PixelCoding.weights}.
 */
export function mapFrame(
  pixels: PixelArray,
  n: number,
  coding: PixelCoding,
  lut: Float32Array | undefined,
  map: (raw: number) => number,
): Float32Array {
  if (valuesScratch.length < n) valuesScratch = new Float32Array(n)
  const values = valuesScratch
  const { samples, mask, flip, weights } = coding
  const look = lut ? (raw: number) => lut[(raw & mask) ^ flip]! : map
  if (samples === 1) {
    if (lut) for (let i = 0; i < n; i++) values[i] = lut[(pixels[i]! & mask) ^ flip]!
    else for (let i = 0; i < n; i++) values[i] = map(pixels[i]!)
    return values
  }
  const [w0, w1, w2] = weights as [number, number, number]
  for (let i = 0; i < n; i++) {
    const j = i * samples
    values[i] = w0 * look(pixels[j]!) + w1 * look(pixels[j + 1]!) + w2 * look(pixels[j + 2]!)
  }
  return values
}

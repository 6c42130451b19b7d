import type { DecodedImage, PixelArray } from '../dicom/decodeDicom.js'
import type { ModelManifest } from '../manifest/schema.js'
import { indexPercentiles, scanPercentiles } from './percentiles.js'
import type { PixelCoding } from './pixelCoding.js'

/**
 * The window of one frame, in rescaled units, as y = clamp((x − low) / (high − low)): the
 * manifest's fixed window, the file's own (PS3.3 C.11.2.1.2.1 linear VOI), or the frame's
 * percentiles (min..max when the file has no usable window).
 */
export function windowFor(
  image: DecodedImage,
  pixels: PixelArray,
  window: ModelManifest['preprocessing']['window'],
  coding: PixelCoding,
): { low: number; high: number } {
  const fromFile =
    window.mode === 'dicom' &&
    image.windowCenter !== undefined &&
    image.windowWidth !== undefined &&
    image.windowWidth >= 1
  if (window.mode === 'fixed' || fromFile) {
    const c = window.mode === 'fixed' ? window.center : image.windowCenter!
    const width = window.mode === 'fixed' ? window.width : image.windowWidth!
    // PS3.3 C.11.2.1.2.1: y = ((x - (c - 0.5)) / (w - 1) + 0.5)
    const low = c - 0.5 - (width - 1) / 2
    const high = c - 0.5 + (width - 1) / 2
    return { low, high: high <= low ? low + 1 : high }
  }
  const [lo, hi] = window.mode === 'percentile' ? [window.low, window.high] : [0, 100]
  const { samples, mask, flip, slope, intercept, stored } = coding
  const [low, high] = coding.small
    ? indexPercentiles(pixels, samples, mask, flip, slope, intercept, lo, hi)
    : scanPercentiles(pixels, samples, stored, slope, intercept)
  return { low, high }
}

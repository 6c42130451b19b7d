import type { PixelArray } from '../dicom/decodeDicom.js'

const histogram = new Uint32Array(65_536)

/**
 * Percentiles of rescaled values from a histogram of stored-value indexes (8/16-bit data), over a
 * strided sample of at least 65,536 pixels (first sample of each pixel).
 *
 * @returns `[low, high]` with high > low.
 */
export function indexPercentiles(
  pixels: PixelArray,
  samples: number,
  mask: number,
  flip: number,
  slope: number,
  intercept: number,
  lowPct: number,
  highPct: number,
): [number, number] {
  const bins = histogram.subarray(0, mask + 1)
  bins.fill(0)
  let count = 0
  const stride = samples * Math.max(1, Math.floor(pixels.length / samples / 65_536))
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
  return ordered(slope * find(lowPct) + intercept, slope * find(highPct) + intercept)
}

/** min..max of rescaled values, for 32-bit data. */
export function scanPercentiles(
  pixels: PixelArray,
  samples: number,
  stored: (raw: number) => number,
  slope: number,
  intercept: number,
): [number, number] {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (let i = 0; i < pixels.length; i += samples) {
    const v = stored(pixels[i]!)
    if (v < min) min = v
    if (v > max) max = v
  }
  return ordered(slope * min + intercept, slope * max + intercept)
}

function ordered(a: number, b: number): [number, number] {
  const [l, h] = a <= b ? [a, b] : [b, a]
  return [l, h > l ? h : l + 1]
}

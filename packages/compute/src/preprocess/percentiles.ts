import type { PixelArray } from '../dicom/decodeDicom.js'
import { unsignedView } from './storedValue.js'

const histogram = new Uint32Array(65_536)

/** Pixels sampled for percentiles: at least this many (every pixel of smaller frames). */
export const PERCENTILE_SAMPLES = 16_384

/**
 * Percentiles of rescaled values from a histogram of stored-value indexes (8/16-bit data), over a
 * strided sample of at least {@link PERCENTILE_SAMPLES} pixels (first sample of each pixel): the
 * 1st/99th percentiles of 16,384 samples are within about 0.1 percentile points of the frame's.
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
  const stride = samples * Math.max(1, Math.floor(pixels.length / samples / PERCENTILE_SAMPLES))
  // the same low bits as the signed view's (two's complement), read through one element type
  const count = countInto(bins, unsignedView(pixels), stride, mask, flip)
  const low = rankIndex(bins, count, lowPct) - flip
  const high = rankIndex(bins, count, highPct) - flip
  return ordered(slope * low + intercept, slope * high + intercept)
}

/**
 * Counts every `stride`th value's index into `bins`; returns how many were counted. The loop is a
 * function of its own: inside indexPercentiles, V8 compiled it on-stack mid-call, and that code
 * (kept and re-entered on every call) bailed out at the first read after the loop each time (no
 * type feedback there yet when it was compiled) — a deoptimisation per frame.
 */
function countInto(
  bins: Uint32Array,
  raw: Uint8Array | Uint16Array,
  stride: number,
  mask: number,
  flip: number,
): number {
  const n = raw.length
  // worked out before the loop: no property or global read after it (see above)
  const count = n ? Math.floor((n - 1) / stride) + 1 : 0
  for (let i = 0; i < n; i += stride) bins[(raw[i]! & mask) ^ flip]!++
  return count
}

/**
 * The first bin whose cumulative count reaches max(1, pct% of `count`) (the last bin if none
 * does): scanned up from the bottom for a low percentile, down from the top for a high one
 * (cumulative count at b = count − the counts above b, all integers: the same bin either way).
 */
function rankIndex(bins: Uint32Array, count: number, pct: number): number {
  const need = Math.ceil(Math.max(1, (pct / 100) * count))
  if (need > count) return bins.length - 1
  if (pct <= 50) {
    let acc = 0
    for (let b = 0; b < bins.length; b++) {
      acc += bins[b]!
      if (acc >= need) return b
    }
    return bins.length - 1
  }
  let b = bins.length - 1
  for (let above = 0; b > 0 && count - (above + bins[b]!) >= need; b--) above += bins[b]!
  return b
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

import type { DecodedImage, PixelArray } from '../dicom/decodeDicom.js'
import type { ModelManifest } from '../manifest/schema.js'

export type PreprocessTarget = {
  /** The batch tensor's buffer. */
  data: Float32Array
  /** Index of this image in the batch. */
  index: number
}

/** Height, width and channels of the model input, from the manifest. */
export function inputGeometry(manifest: ModelManifest): {
  channels: number
  height: number
  width: number
} {
  const s = manifest.input.shape
  return manifest.input.layout === 'NCHW'
    ? { channels: s[1], height: s[2], width: s[3] }
    : { channels: s[3], height: s[1], width: s[2] }
}

let scratch = new Float32Array(0)

/**
 * The manifest's preprocessing for one frame, written straight into the batch tensor:
 * stored bits (masked, sign-extended) → rescale slope/intercept → window to [0, 1] (the DICOM
 * linear VOI function, a fixed window, or percentiles) → MONOCHROME1 inverted → resized
 * (nearest, bilinear or area) → normalised per channel, replicated to the model's channels.
 * The value mapping is a lookup table for 8/16-bit data; the only intermediate buffer is one
 * reused row pass for area resizing.
 *
 * @returns the window actually used, in rescaled units.
 */
export function preprocessFrame(
  image: DecodedImage,
  frame: number,
  manifest: ModelManifest,
  target: PreprocessTarget,
): { low: number; high: number } {
  const pixels = image.frames[frame]!
  const p = manifest.preprocessing
  const slope = p.rescale ? image.rescaleSlope : 1
  const intercept = p.rescale ? image.rescaleIntercept : 0
  const samples = image.samplesPerPixel
  const bits = image.bitsStored
  const signed = image.pixelRepresentation === 1
  const stored = storedValue(bits, signed, image.bitsAllocated)

  // the window, in rescaled units, as y = clamp((x - low) / (high - low))
  let low: number
  let high: number
  const w = p.window
  if (
    w.mode === 'fixed' ||
    (w.mode === 'dicom' &&
      image.windowCenter !== undefined &&
      image.windowWidth !== undefined &&
      image.windowWidth >= 1)
  ) {
    const c = w.mode === 'fixed' ? w.center : image.windowCenter!
    const width = w.mode === 'fixed' ? w.width : image.windowWidth!
    // PS3.3 C.11.2.1.2.1: y = ((x - (c - 0.5)) / (w - 1) + 0.5)
    low = c - 0.5 - (width - 1) / 2
    high = c - 0.5 + (width - 1) / 2
    if (high <= low) high = low + 1
  } else if (w.mode === 'percentile') {
    ;[low, high] = percentiles(pixels, samples, stored, slope, intercept, w.low, w.high)
  } else {
    ;[low, high] = percentiles(pixels, samples, stored, slope, intercept, 0, 100)
  }
  const invert = p.invertMonochrome1 && image.photometricInterpretation === 'MONOCHROME1'
  const scale = 1 / (high - low)
  const map = (raw: number) => {
    let y = (slope * stored(raw) + intercept - low) * scale
    y = y < 0 ? 0 : y > 1 ? 1 : y
    return invert ? 1 - y : y
  }
  // lookup table over every raw value for 8/16-bit data
  let lut: Float32Array | undefined
  let lutOffset = 0
  if (image.bitsAllocated <= 16) {
    const size = 1 << image.bitsAllocated
    lutOffset = signed ? size / 2 : 0
    lut = new Float32Array(size)
    for (let i = 0; i < size; i++) lut[i] = map(i - lutOffset)
  }
  const value = lut ? (raw: number) => lut[raw + lutOffset]! : map

  const { channels, height, width } = inputGeometry(manifest)
  const rows = image.rows
  const cols = image.columns
  const plane = new Float32Array(height * width) // one channel, before normalisation
  // colour images: use the luminance of the first three samples
  const at =
    samples === 1
      ? (i: number) => value(pixels[i]!)
      : (i: number) =>
          0.299 * value(pixels[i * samples]!) +
          0.587 * value(pixels[i * samples + 1]!) +
          0.114 * value(pixels[i * samples + 2]!)

  if (p.interpolation === 'nearest' || (rows === height && cols === width)) {
    for (let y = 0; y < height; y++) {
      const sy = Math.min(rows - 1, Math.floor(((y + 0.5) * rows) / height)) * cols
      for (let x = 0; x < width; x++)
        plane[y * width + x] = at(sy + Math.min(cols - 1, Math.floor(((x + 0.5) * cols) / width)))
    }
  } else if (p.interpolation === 'bilinear') {
    const fx = cols / width
    const fy = rows / height
    for (let y = 0; y < height; y++) {
      const sy = Math.max(0, Math.min(rows - 1, (y + 0.5) * fy - 0.5))
      const y0 = Math.floor(sy)
      const y1 = Math.min(rows - 1, y0 + 1)
      const wy = sy - y0
      for (let x = 0; x < width; x++) {
        const sx = Math.max(0, Math.min(cols - 1, (x + 0.5) * fx - 0.5))
        const x0 = Math.floor(sx)
        const x1 = Math.min(cols - 1, x0 + 1)
        const wx = sx - x0
        const top = at(y0 * cols + x0) * (1 - wx) + at(y0 * cols + x1) * wx
        const bottom = at(y1 * cols + x0) * (1 - wx) + at(y1 * cols + x1) * wx
        plane[y * width + x] = top * (1 - wy) + bottom * wy
      }
    }
  } else {
    // area: exact box filter, separable; horizontal pass into a reused scratch buffer
    if (scratch.length < rows * width) scratch = new Float32Array(rows * width)
    boxWeights(
      cols,
      width,
      (x, s, weight) => {
        for (let r = 0; r < rows; r++) scratch[r * width + x]! += weight * at(r * cols + s)
      },
      () => scratch.fill(0, 0, rows * width),
    )
    boxWeights(rows, height, (y, s, weight) => {
      for (let x = 0; x < width; x++) plane[y * width + x]! += weight * scratch[s * width + x]!
    })
  }

  const { mean, std } = p.normalize
  const data = target.data
  const imageSize = channels * height * width
  const base = target.index * imageSize
  for (let c = 0; c < channels; c++) {
    const m = mean[mean.length === 1 ? 0 : c]!
    const inv = 1 / std[std.length === 1 ? 0 : c]!
    if (manifest.input.layout === 'NCHW') {
      const o = base + c * height * width
      for (let i = 0; i < height * width; i++) data[o + i] = (plane[i]! - m) * inv
    } else {
      for (let i = 0; i < height * width; i++) data[base + i * channels + c] = (plane[i]! - m) * inv
    }
  }
  return { low, high }
}

/** Calls `add(out, source, weight)` for the box filter that maps `n` samples onto `m`. */
function boxWeights(
  n: number,
  m: number,
  add: (out: number, source: number, weight: number) => void,
  reset?: () => void,
) {
  reset?.()
  const ratio = n / m
  for (let o = 0; o < m; o++) {
    const start = o * ratio
    const end = start + ratio
    for (let s = Math.floor(start); s < Math.min(n, Math.ceil(end)); s++) {
      const overlap = Math.min(end, s + 1) - Math.max(start, s)
      if (overlap > 0) add(o, s, overlap / ratio)
    }
  }
}

/** Reads the stored bits of a raw sample: masks unused high bits and sign-extends. */
function storedValue(
  bitsStored: number,
  signed: boolean,
  bitsAllocated: number,
): (raw: number) => number {
  if (bitsStored >= bitsAllocated || bitsStored >= 32) return (raw) => raw
  const mask = 2 ** bitsStored - 1
  const sign = 2 ** (bitsStored - 1)
  return signed
    ? (raw) => {
        const v = raw & mask
        return v >= sign ? v - 2 * sign : v
      }
    : (raw) => raw & mask
}

function percentiles(
  pixels: PixelArray,
  samples: number,
  stored: (raw: number) => number,
  slope: number,
  intercept: number,
  lowPct: number,
  highPct: number,
): [number, number] {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (let i = 0; i < pixels.length; i += samples) {
    const v = stored(pixels[i]!)
    if (v < min) min = v
    if (v > max) max = v
  }
  let lo = min
  let hi = max
  if ((lowPct > 0 || highPct < 100) && max > min) {
    const bins = Math.min(65_536, max - min + 1)
    const hist = new Uint32Array(bins)
    const k = (bins - 1) / (max - min)
    for (let i = 0; i < pixels.length; i += samples)
      hist[Math.round((stored(pixels[i]!) - min) * k)]!++
    const n = pixels.length / samples
    const find = (pct: number) => {
      const target = (pct / 100) * n
      let acc = 0
      for (let b = 0; b < bins; b++) {
        acc += hist[b]!
        if (acc >= target) return min + b / k
      }
      return max
    }
    lo = find(lowPct)
    hi = find(highPct)
  }
  const a = slope * lo + intercept
  const b = slope * hi + intercept
  const [l, h] = a <= b ? [a, b] : [b, a]
  return [l, h > l ? h : l + 1]
}

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

// Reused scratch buffers (one frame at a time; JavaScript is single-threaded here).
let valuesScratch = new Float32Array(0)
let rowScratch = new Float32Array(0)
let planeScratch = new Float32Array(0)
const lutScratch = new Float32Array(65_536)
const histogram = new Uint32Array(65_536)

/**
 * The manifest's preprocessing for one frame, written straight into the batch tensor:
 * stored bits (masked, sign-extended) → rescale slope/intercept → window to [0, 1] (the DICOM
 * linear VOI function, a fixed window, or percentiles) → MONOCHROME1 inverted → resized
 * (nearest, bilinear or area) → normalised per channel, replicated to the model's channels.
 *
 * Fast path for 8/16-bit data: the window is a lookup table over raw values, percentiles come from
 * a histogram of raw values (a strided sample of at least 65,536 pixels), and an integer area factor
 * (e.g. 512 → 256) sums k×k blocks of looked-up raw values directly, with no full-resolution float
 * plane; other cases map the frame once into a reused scratch plane, then resize.
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
  const signed = image.pixelRepresentation === 1
  const stored = storedValue(image.bitsStored, signed, image.bitsAllocated)
  const small = image.bitsAllocated <= 16
  // 8/16-bit data is handled by index: (raw & mask) ^ flip keeps the stored bits and makes signed
  // values offset-binary, so index order is stored-value order and index - flip is the value.
  const bitsStored = Math.min(image.bitsStored, image.bitsAllocated)
  const mask = (1 << bitsStored) - 1
  const flip = signed ? 1 << (bitsStored - 1) : 0

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
  } else {
    const [lo, hi] = w.mode === 'percentile' ? [w.low, w.high] : [0, 100]
    ;[low, high] = small
      ? indexPercentiles(pixels, samples, mask, flip, slope, intercept, lo, hi)
      : scanPercentiles(pixels, samples, stored, slope, intercept)
  }
  const invert = p.invertMonochrome1 && image.photometricInterpretation === 'MONOCHROME1'
  const scale = 1 / (high - low)
  const map = (raw: number) => {
    let y = (slope * stored(raw) + intercept - low) * scale
    y = Math.min(1, Math.max(0, y))
    return invert ? 1 - y : y
  }

  const rows = image.rows
  const cols = image.columns
  const n = rows * cols
  const { channels, height, width } = inputGeometry(manifest)
  if (planeScratch.length < height * width) planeScratch = new Float32Array(height * width)
  const plane = planeScratch
  const lut = small ? buildLut(bitsStored, flip, slope, intercept, low, scale, invert) : undefined
  const kx = cols / width
  const ky = rows / height
  const fused =
    lut &&
    samples === 1 &&
    p.interpolation === 'area' &&
    Number.isInteger(kx) &&
    Number.isInteger(ky)
  if (fused && channels === 1 && manifest.input.layout === 'NCHW') {
    // fully fused: raw → LUT → k×k block mean → normalised, straight into the batch tensor
    const out = target.data.subarray(
      target.index * height * width,
      (target.index + 1) * height * width,
    )
    areaFromRaw(
      pixels,
      mask,
      flip,
      lut,
      cols,
      kx,
      ky,
      out,
      height,
      width,
      p.normalize.mean[0]!,
      1 / p.normalize.std[0]!,
    )
    return { low, high }
  }
  if (fused) {
    // raw → LUT → k×k block mean, no full-resolution float plane
    areaFromRaw(pixels, mask, flip, lut!, cols, kx, ky, plane, height, width, 0, 1)
  } else {
    // map the whole frame once into a scratch plane, then resize
    if (valuesScratch.length < n) valuesScratch = new Float32Array(n)
    const values = valuesScratch
    if (lut) {
      if (samples === 1) for (let i = 0; i < n; i++) values[i] = lut[(pixels[i]! & mask) ^ flip]!
      else
        for (let i = 0; i < n; i++) {
          const j = i * samples
          values[i] =
            0.299 * lut[(pixels[j]! & mask) ^ flip]! +
            0.587 * lut[(pixels[j + 1]! & mask) ^ flip]! +
            0.114 * lut[(pixels[j + 2]! & mask) ^ flip]!
        }
    } else if (samples === 1) for (let i = 0; i < n; i++) values[i] = map(pixels[i]!)
    else
      for (let i = 0; i < n; i++) {
        const j = i * samples
        values[i] =
          0.299 * map(pixels[j]!) + 0.587 * map(pixels[j + 1]!) + 0.114 * map(pixels[j + 2]!)
      }
    resize(values, rows, cols, plane, height, width, p.interpolation)
  }

  const { mean, std } = p.normalize
  const data = target.data
  const size = height * width
  const base = target.index * channels * size
  for (let c = 0; c < channels; c++) {
    const m = mean[mean.length === 1 ? 0 : c]!
    const inv = 1 / std[std.length === 1 ? 0 : c]!
    if (manifest.input.layout === 'NCHW') {
      const o = base + c * size
      for (let i = 0; i < size; i++) data[o + i] = (plane[i]! - m) * inv
    } else for (let i = 0; i < size; i++) data[base + i * channels + c] = (plane[i]! - m) * inv
  }
  return { low, high }
}

/** The windowed value of every stored value, by index (see `mask`/`flip` in preprocessFrame). */
function buildLut(
  bitsStored: number,
  flip: number,
  slope: number,
  intercept: number,
  low: number,
  scale: number,
  invert: boolean,
): Float32Array {
  const lut = lutScratch.subarray(0, 1 << bitsStored)
  for (let i = 0; i < lut.length; i++) {
    let y = (slope * (i - flip) + intercept - low) * scale
    y = Math.min(1, Math.max(0, y))
    lut[i] = invert ? 1 - y : y
  }
  return lut
}

/** k×k block means of looked-up raw values, written as (mean − m) × inv. */
function areaFromRaw(
  pixels: PixelArray,
  mask: number,
  flip: number,
  lut: Float32Array,
  cols: number,
  kx: number,
  ky: number,
  out: Float32Array,
  height: number,
  width: number,
  m: number,
  inv: number,
) {
  if (kx === 2 && ky === 2) {
    for (let y = 0; y < height; y++) {
      const r0 = 2 * y * cols
      const r1 = r0 + cols
      const o = y * width
      for (let x = 0; x < width; x++) {
        const i = 2 * x
        out[o + x] =
          (0.25 *
            (lut[(pixels[r0 + i]! & mask) ^ flip]! +
              lut[(pixels[r0 + i + 1]! & mask) ^ flip]! +
              lut[(pixels[r1 + i]! & mask) ^ flip]! +
              lut[(pixels[r1 + i + 1]! & mask) ^ flip]!) -
            m) *
          inv
      }
    }
    return
  }
  const area = 1 / (kx * ky)
  for (let y = 0; y < height; y++) {
    const o = y * width
    for (let x = 0; x < width; x++) {
      let sum = 0
      for (let dy = 0; dy < ky; dy++) {
        const row = (y * ky + dy) * cols + x * kx
        for (let dx = 0; dx < kx; dx++) sum += lut[(pixels[row + dx]! & mask) ^ flip]!
      }
      out[o + x] = (sum * area - m) * inv
    }
  }
}

function resize(
  src: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  height: number,
  width: number,
  how: 'nearest' | 'bilinear' | 'area',
) {
  if (rows === height && cols === width) {
    out.set(src.subarray(0, rows * cols))
    return
  }
  if (how === 'nearest') {
    for (let y = 0; y < height; y++) {
      const sy = Math.min(rows - 1, Math.floor(((y + 0.5) * rows) / height)) * cols
      for (let x = 0; x < width; x++)
        out[y * width + x] = src[sy + Math.min(cols - 1, Math.floor(((x + 0.5) * cols) / width))]!
    }
    return
  }
  if (how === 'bilinear') {
    const fx = cols / width
    const fy = rows / height
    for (let y = 0; y < height; y++) {
      const sy = Math.max(0, Math.min(rows - 1, (y + 0.5) * fy - 0.5))
      const y0 = Math.floor(sy)
      const r0 = y0 * cols
      const r1 = Math.min(rows - 1, y0 + 1) * cols
      const wy = sy - y0
      for (let x = 0; x < width; x++) {
        const sx = Math.max(0, Math.min(cols - 1, (x + 0.5) * fx - 0.5))
        const x0 = Math.floor(sx)
        const x1 = Math.min(cols - 1, x0 + 1)
        const wx = sx - x0
        const top = src[r0 + x0]! * (1 - wx) + src[r0 + x1]! * wx
        const bottom = src[r1 + x0]! * (1 - wx) + src[r1 + x1]! * wx
        out[y * width + x] = top * (1 - wy) + bottom * wy
      }
    }
    return
  }
  // area
  const kx = cols / width
  const ky = rows / height
  if (Number.isInteger(kx) && Number.isInteger(ky)) {
    const inv = 1 / (kx * ky)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let sum = 0
        for (let dy = 0; dy < ky; dy++) {
          const row = (y * ky + dy) * cols + x * kx
          for (let dx = 0; dx < kx; dx++) sum += src[row + dx]!
        }
        out[y * width + x] = sum * inv
      }
    return
  }
  // general area: exact box filter, separable, through a reused row buffer
  if (rowScratch.length < rows * width) rowScratch = new Float32Array(rows * width)
  const tmp = rowScratch
  tmp.fill(0, 0, rows * width)
  out.fill(0, 0, height * width)
  boxWeights(cols, width, (o, s, weight) => {
    for (let r = 0; r < rows; r++) tmp[r * width + o]! += weight * src[r * cols + s]!
  })
  boxWeights(rows, height, (o, s, weight) => {
    for (let x = 0; x < width; x++) out[o * width + x]! += weight * tmp[s * width + x]!
  })
}

/** Calls `add(out, source, weight)` for the box filter that maps `n` samples onto `m`. */
function boxWeights(
  n: number,
  m: number,
  add: (out: number, source: number, weight: number) => void,
) {
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

/** Percentiles of rescaled values from a histogram of stored-value indexes (8/16-bit data). */
function indexPercentiles(
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
  // a strided sample of at least 65,536 pixels is plenty for percentiles
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
  const a = slope * find(lowPct) + intercept
  const b = slope * find(highPct) + intercept
  const [l, h] = a <= b ? [a, b] : [b, a]
  return [l, h > l ? h : l + 1]
}

/** min..max of rescaled values, for 32-bit data. */
function scanPercentiles(
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
  const a = slope * min + intercept
  const b = slope * max + intercept
  const [l, h] = a <= b ? [a, b] : [b, a]
  return [l, h > l ? h : l + 1]
}

import type { DecodedImage } from '../dicom/decodeDicom.js'
import type { ModelManifest } from '../manifest/schema.js'
import { areaFromRaw } from './areaFromRaw.js'
import { inputGeometry } from './inputGeometry.js'
import { mapFrame } from './mapFrame.js'
import { type PixelCoding, pixelCoding } from './pixelCoding.js'
import { resize } from './resize.js'
import { simdArea2x2 } from './simd.js'
import { buildLut, rawLut, unsignedView } from './storedValue.js'
import { windowFor } from './windowFor.js'

export { inputGeometry } from './inputGeometry.js'

export type PreprocessTarget = {
  /** The batch tensor's buffer. */
  data: Float32Array
  /** Index of this image in the batch. */
  index: number
}

let planeScratch = new Float32Array(0)

/**
 * The manifest's preprocessing for one frame, written straight into the batch tensor:
 * stored bits (masked, sign-extended) → rescale slope/intercept → window to [0, 1] (the DICOM
 * linear VOI function, a fixed window, or percentiles) → MONOCHROME1 inverted → resized
 * (nearest, bilinear or area) → normalised per channel, replicated to the model's channels.
 *
 * Fast path for 8/16-bit data: the window is a lookup table over raw values, percentiles come from
 * a histogram of raw values (a strided sample of at least 16,384 pixels), and an integer area factor
 * (e.g. 512 → 256) sums k×k blocks of looked-up raw values directly, with no full-resolution float
 * plane; other cases map the frame once into a reused scratch plane, then resize.
 *
 * @param image - a decoded image.
 * @param frame - the frame's index.
 * @param manifest - the model's parsed manifest.
 * @param target - the batch buffer and this image's index in it.
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
  const coding = pixelCoding(image, p.rescale)
  const { low, high } = windowFor(image, pixels, p.window, coding)
  const invert = p.invertMonochrome1 && image.photometricInterpretation === 'MONOCHROME1'
  const scale = 1 / (high - low)
  const { slope, intercept, stored } = coding
  const map = (raw: number) => {
    const y = Math.min(1, Math.max(0, (slope * stored(raw) + intercept - low) * scale))
    return invert ? 1 - y : y
  }
  const { rows, columns: cols } = image
  const { channels, height, width } = inputGeometry(manifest)
  const kx = cols / width
  const ky = rows / height
  const fused =
    coding.small &&
    coding.samples === 1 &&
    p.interpolation === 'area' &&
    Number.isInteger(kx) &&
    Number.isInteger(ky)
  const win = { low, scale, invert }
  if (fused && channels === 1 && manifest.input.layout === 'NCHW') {
    // fully fused: raw → window → k×k block mean → normalised, straight into the batch tensor
    const size = height * width
    const out = target.data.subarray(target.index * size, (target.index + 1) * size)
    const { mean, std } = p.normalize
    fusedArea(image, pixels, coding, win, [kx, ky], out, mean[0]!, 1 / std[0]!)
    return { low, high }
  }
  if (planeScratch.length < height * width) planeScratch = new Float32Array(height * width)
  const plane = planeScratch.subarray(0, height * width)
  if (fused) fusedArea(image, pixels, coding, win, [kx, ky], plane, 0, 1)
  else
    resize(
      mapFrame(
        pixels,
        rows * cols,
        coding,
        coding.small
          ? buildLut(coding.bitsStored, coding.flip, slope, intercept, low, scale, invert)
          : undefined,
        map,
      ),
      rows,
      cols,
      plane,
      height,
      width,
      p.interpolation,
    )
  writeNormalized(plane, manifest, target, channels, height * width)
  return { low, high }
}

/**
 * k×k block means of the windowed stored values of one frame, written as (mean − m) × inv into
 * `out` (height × width values, width = columns / kx): WebAssembly SIMD for 16-bit samples and
 * 2×2 blocks where available ({@link simdArea2x2}), else the raw-pattern lookup table
 * ({@link areaFromRaw}).
 */
function fusedArea(
  image: DecodedImage,
  pixels: DecodedImage['frames'][number],
  coding: PixelCoding,
  { low, scale, invert }: { low: number; scale: number; invert: boolean },
  [kx, ky]: [number, number],
  out: Float32Array,
  m: number,
  inv: number,
): void {
  const { slope, intercept, bitsStored, flip, mask } = coding
  const cols = image.columns
  const width = cols / kx
  const height = out.length / width
  const raw = unsignedView(pixels)
  if (kx === 2 && ky === 2 && raw instanceof Uint16Array) {
    // y = clamp(a·index + b, 0, 1) with index = (raw & mask) ^ flip = stored value + flip
    const a = slope * scale
    const b = (intercept - slope * flip - low) * scale
    if (
      simdArea2x2(
        raw,
        cols,
        mask,
        flip,
        invert ? -a : a,
        invert ? 1 - b : b,
        out,
        height,
        width,
        m,
        inv,
      )
    )
      return
  }
  const lut = buildLut(bitsStored, flip, slope, intercept, low, scale, invert)
  areaFromRaw(
    raw,
    rawLut(lut, bitsStored, flip, image.bitsAllocated),
    cols,
    kx,
    ky,
    out,
    height,
    width,
    m,
    inv,
  )
}

/** (plane − mean) / std per channel, into the batch tensor in the manifest's layout. */
function writeNormalized(
  plane: Float32Array,
  manifest: ModelManifest,
  target: PreprocessTarget,
  channels: number,
  size: number,
): void {
  const { mean, std } = manifest.preprocessing.normalize
  const data = target.data
  const base = target.index * channels * size
  for (let c = 0; c < channels; c++) {
    const m = mean[mean.length === 1 ? 0 : c]!
    const inv = 1 / std[std.length === 1 ? 0 : c]!
    if (manifest.input.layout === 'NCHW') {
      const o = base + c * size
      for (let i = 0; i < size; i++) data[o + i] = (plane[i]! - m) * inv
    } else for (let i = 0; i < size; i++) data[base + i * channels + c] = (plane[i]! - m) * inv
  }
}

import { ComputeError } from '../errors.js'
import type { PixelModule } from './readPixelModule.js'

const MONOCHROME = ['MONOCHROME1', 'MONOCHROME2']
const ONE_SAMPLE = [...MONOCHROME, 'PALETTE COLOR']
const THREE_SAMPLES = [
  'RGB',
  'YBR_FULL',
  'YBR_FULL_422',
  'YBR_PARTIAL_420',
  'YBR_ICT',
  'YBR_RCT',
  'XYB',
]

/** Bytes of Pixel Data the module's attributes call for (before padding to an even length). */
export function pixelDataBytes(pm: PixelModule): number {
  const samples = pm.rows * pm.columns * pm.samplesPerPixel * pm.numberOfFrames
  return pm.bitsAllocated === 1 ? Math.ceil(samples / 8) : samples * (pm.bitsAllocated / 8)
}

/** One rule of PS3.3 C.7.6.3: the attribute, its tag, and why a value is refused (undefined: allowed). */
export type PixelModuleRule = {
  attribute: string
  tag: string
  value: (pm: PixelModule) => unknown
  /** What the standard allows, for the message. */
  allowed: string
  fails: (pm: PixelModule) => boolean
}

/** The rules, in the order they are checked (each one assumes the ones above it passed). */
export const pixelModuleRules: readonly PixelModuleRule[] = [
  {
    attribute: 'Rows',
    tag: '(0028,0010)',
    value: (p) => p.rows,
    allowed: '≥ 1',
    fails: (p) => p.rows < 1,
  },
  {
    attribute: 'Columns',
    tag: '(0028,0011)',
    value: (p) => p.columns,
    allowed: '≥ 1',
    fails: (p) => p.columns < 1,
  },
  {
    attribute: 'SamplesPerPixel',
    tag: '(0028,0002)',
    value: (p) => p.samplesPerPixel,
    allowed: '1 or 3',
    fails: (p) => p.samplesPerPixel !== 1 && p.samplesPerPixel !== 3,
  },
  {
    attribute: 'PhotometricInterpretation',
    tag: '(0028,0004)',
    value: (p) => p.photometricInterpretation ?? '(absent)',
    allowed: `one of ${[...ONE_SAMPLE, ...THREE_SAMPLES].join(', ')} (absent only with one sample)`,
    fails: (p) =>
      p.photometricInterpretation === undefined
        ? p.samplesPerPixel !== 1
        : ![...ONE_SAMPLE, ...THREE_SAMPLES].includes(p.photometricInterpretation),
  },
  {
    attribute: 'SamplesPerPixel',
    tag: '(0028,0002)',
    value: (p) => `${p.samplesPerPixel} with ${p.photometricInterpretation ?? 'MONOCHROME2'}`,
    allowed: '1 for MONOCHROME1/2 and PALETTE COLOR, 3 for RGB, YBR_* and XYB',
    fails: (p) =>
      p.samplesPerPixel !==
      (ONE_SAMPLE.includes(p.photometricInterpretation ?? 'MONOCHROME2') ? 1 : 3),
  },
  {
    attribute: 'BitsAllocated',
    tag: '(0028,0100)',
    value: (p) => p.bitsAllocated,
    allowed: '1, 8, 16, 32 or 64',
    fails: (p) => ![1, 8, 16, 32, 64].includes(p.bitsAllocated),
  },
  {
    attribute: 'BitsStored',
    tag: '(0028,0101)',
    value: (p) => p.bitsStored,
    allowed: '1 to Bits Allocated',
    fails: (p) => p.bitsStored < 1 || p.bitsStored > p.bitsAllocated,
  },
  {
    attribute: 'HighBit',
    tag: '(0028,0102)',
    value: (p) => p.highBit,
    allowed: 'Bits Stored − 1',
    fails: (p) => p.highBit !== p.bitsStored - 1,
  },
  {
    attribute: 'PixelRepresentation',
    tag: '(0028,0103)',
    value: (p) => p.pixelRepresentation,
    allowed: '0 (unsigned) or 1 (two’s complement)',
    fails: (p) => p.pixelRepresentation !== 0 && p.pixelRepresentation !== 1,
  },
  {
    attribute: 'PlanarConfiguration',
    tag: '(0028,0006)',
    value: (p) => p.planarConfiguration ?? '(absent)',
    allowed: '0 or 1, present when Samples per Pixel is 3',
    fails: (p) =>
      p.samplesPerPixel > 1 && p.planarConfiguration !== 0 && p.planarConfiguration !== 1,
  },
  {
    attribute: 'NumberOfFrames',
    tag: '(0028,0008)',
    value: (p) => p.numberOfFrames,
    allowed: 'an integer ≥ 1',
    fails: (p) => !Number.isInteger(p.numberOfFrames) || p.numberOfFrames < 1,
  },
  {
    attribute: 'PixelData',
    tag: '(7FE0,0010)',
    value: (p) => `${p.pixelDataLength} bytes`,
    allowed: 'Rows × Columns × Samples × Frames × Bits Allocated / 8 bytes (padded to even)',
    fails: (p) => {
      const need = pixelDataBytes(p)
      return p.pixelDataLength < need || p.pixelDataLength > need + (need % 2)
    },
  },
]

/**
 * Checks the Image Pixel Module against what PS3.3 C.7.6.3 allows, before any pixel is read, so
 * an impossible image is refused instead of analysed.
 *
 * @param pm - the attributes as read.
 * @param file - a name for messages.
 * @throws {ComputeError} `COMPUTE_INVALID_PIXEL_MODULE`, naming the attribute, its tag and value.
 */
export function checkPixelModule(pm: PixelModule, file: string): void {
  for (const rule of pixelModuleRules) {
    if (!rule.fails(pm)) continue
    const value = rule.value(pm)
    throw new ComputeError(
      'COMPUTE_INVALID_PIXEL_MODULE',
      `${file}: ${rule.attribute} ${rule.tag} is ${String(value)}; PS3.3 C.7.6.3 allows ${rule.allowed}.`,
      { details: { file, attribute: rule.attribute, tag: rule.tag, value, allowed: rule.allowed } },
    )
  }
}

/** Photometric interpretations compute turns into one grey value per pixel. */
const DECODED = [...MONOCHROME, 'RGB', 'YBR_FULL']

/**
 * Refuses images the standard allows but compute does not decode (1- and 64-bit samples, palette
 * colour, subsampled or JPEG 2000 colour spaces left in native data).
 *
 * @throws {ComputeError} `COMPUTE_UNSUPPORTED_PIXEL_FORMAT`.
 */
export function checkSupportedPixelFormat(pm: PixelModule, file: string): void {
  const photometric = pm.photometricInterpretation ?? 'MONOCHROME2'
  const problem = ![8, 16, 32].includes(pm.bitsAllocated)
    ? { attribute: 'BitsAllocated', value: pm.bitsAllocated as unknown, supported: '8, 16 or 32' }
    : !DECODED.includes(photometric)
      ? {
          attribute: 'PhotometricInterpretation',
          value: photometric,
          supported: DECODED.join(', '),
        }
      : undefined
  if (problem)
    throw new ComputeError(
      'COMPUTE_UNSUPPORTED_PIXEL_FORMAT',
      `${file}: ${problem.attribute} ${String(problem.value)} is allowed by the standard but not decoded here (supported: ${problem.supported}).`,
      { details: { file, ...problem } },
    )
}

import type { DecodedImage } from '../dicom/decodeDicom.js'
import { storedValue } from './storedValue.js'

/** How raw samples of an image become rescaled values. */
export type PixelCoding = {
  samples: number
  slope: number
  intercept: number
  /** Stored bits (≤ allocated). */
  bitsStored: number
  /** 8/16-bit data, handled by index through a lookup table. */
  small: boolean
  /**
   * `(raw & mask) ^ flip` keeps the stored bits and makes signed values offset-binary, so index
   * order is stored-value order and index − flip is the value.
   */
  mask: number
  flip: number
  /** Stored value of a raw sample (masked, sign-extended), for 32-bit data. */
  stored: (raw: number) => number
  /** Weights of the samples in the grey value (one sample: [1]). */
  weights: readonly number[]
}

/**
 * The coding of an image's samples, with rescale applied or not.
 *
 * @param image - the decoded image.
 * @param rescale - whether to apply Rescale Slope / Intercept.
 */
export function pixelCoding(image: DecodedImage, rescale: boolean): PixelCoding {
  const signed = image.pixelRepresentation === 1
  const bitsStored = Math.min(image.bitsStored, image.bitsAllocated)
  const samples = image.samplesPerPixel
  return {
    samples,
    slope: rescale ? image.rescaleSlope : 1,
    intercept: rescale ? image.rescaleIntercept : 0,
    bitsStored,
    small: image.bitsAllocated <= 16,
    mask: bitsStored >= 32 ? -1 : (1 << bitsStored) - 1,
    flip: signed && bitsStored < 32 ? 1 << (bitsStored - 1) : 0,
    stored: storedValue(image.bitsStored, signed, image.bitsAllocated),
    // RGB: luma (ITU-R BT.601); YBR_FULL: its Y sample is the luma
    weights:
      samples === 1
        ? [1]
        : image.photometricInterpretation === 'YBR_FULL'
          ? [1, 0, 0]
          : [0.299, 0.587, 0.114],
  }
}

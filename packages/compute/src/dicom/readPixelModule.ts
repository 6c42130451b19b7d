import { ComputeError } from '../errors.js'
import type { AttributeReader } from './topDataset.js'

/** The Image Pixel Module attributes (PS3.3 C.7.6.3) as read, before any check. */
export type PixelModule = {
  rows: number
  columns: number
  samplesPerPixel: number
  /** Undefined when the file does not carry it. */
  photometricInterpretation: string | undefined
  bitsAllocated: number
  bitsStored: number
  highBit: number
  pixelRepresentation: number
  /** Undefined when absent (allowed only with one sample per pixel). */
  planarConfiguration: number | undefined
  numberOfFrames: number
  /** Bytes of Pixel Data actually present in the file. */
  pixelDataLength: number
  /** Offset of Pixel Data's value in the parsed byte array. */
  pixelDataOffset: number
}

const REQUIRED = [
  ['x00280010', 'Rows'],
  ['x00280011', 'Columns'],
  ['x00280100', 'BitsAllocated'],
  ['x7fe00010', 'PixelData'],
] as const

/**
 * Reads the Image Pixel Module from a parsed dataset, with the defaults older files rely on
 * (one sample, Bits Stored = Bits Allocated, one frame).
 *
 * @throws {ComputeError} `COMPUTE_MISSING_PIXEL_DATA` when Rows, Columns, Bits Allocated or Pixel Data is absent.
 */
export function readPixelModule(ds: AttributeReader, file: string): PixelModule {
  const el = ds.elements
  const missing = REQUIRED.filter(([tag]) => !el[tag]).map(([, name]) => name)
  if (missing.length)
    throw new ComputeError(
      'COMPUTE_MISSING_PIXEL_DATA',
      `${file}: no image pixel data (missing ${missing.join(', ')}).`,
      { details: { file, missing } },
    )
  const bitsAllocated = ds.uint16('x00280100')!
  const bitsStored = ds.uint16('x00280101') ?? bitsAllocated
  const frames = ds.string('x00280008')?.trim()
  const pixel = el.x7fe00010!
  return {
    rows: ds.uint16('x00280010')!,
    columns: ds.uint16('x00280011')!,
    samplesPerPixel: ds.uint16('x00280002') ?? 1,
    photometricInterpretation: ds.string('x00280004')?.trim() || undefined,
    bitsAllocated,
    bitsStored,
    highBit: ds.uint16('x00280102') ?? bitsStored - 1,
    pixelRepresentation: ds.uint16('x00280103') ?? 0,
    planarConfiguration: el.x00280006 ? ds.uint16('x00280006') : undefined,
    numberOfFrames: frames ? Number(frames) : 1,
    pixelDataLength: Math.max(
      0,
      Math.min(pixel.length, ds.byteArray.byteLength - pixel.dataOffset),
    ),
    pixelDataOffset: pixel.dataOffset,
  }
}

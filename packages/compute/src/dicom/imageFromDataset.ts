import { checkPixelModule, checkSupportedPixelFormat } from './checkPixelModule.js'
import type { DecodedImage, PixelArray } from './decodeDicom.js'
import { naturalize } from './naturalize.js'
import { type PixelModule, readPixelModule } from './readPixelModule.js'
import type { AttributeReader } from './topDataset.js'

type PixelCtor =
  | Uint8ArrayConstructor
  | Int8ArrayConstructor
  | Uint16ArrayConstructor
  | Int16ArrayConstructor
  | Uint32ArrayConstructor
  | Int32ArrayConstructor

const CTORS: Record<number, [PixelCtor, PixelCtor]> = {
  8: [Uint8Array, Int8Array],
  16: [Uint16Array, Int16Array],
  32: [Uint32Array, Int32Array],
}

/**
 * A parsed dataset as a {@link DecodedImage}: the Image Pixel Module is read and checked (PS3.3
 * C.7.6.3), then each frame becomes a typed view over the file's bytes (a copy only when the
 * offset is unaligned, or to interleave colour-by-plane data).
 */
export function imageFromDataset(
  ds: AttributeReader,
  bytes: Uint8Array,
  file: string,
): DecodedImage {
  const pm = readPixelModule(ds, file)
  checkPixelModule(pm, file)
  checkSupportedPixelFormat(pm, file)
  const text = (tag: string) => ds.string(tag)?.trim() || undefined
  const float = (tag: string) => {
    const v = ds.floatString(tag)
    return v !== undefined && Number.isFinite(v) ? v : undefined
  }
  let naturalized: Record<string, unknown> | undefined
  return {
    file,
    studyInstanceUid: text('x0020000d') ?? '',
    seriesInstanceUid: text('x0020000e') ?? '',
    sopInstanceUid: text('x00080018') ?? '',
    sopClassUid: text('x00080016') ?? '',
    modality: text('x00080060') ?? '',
    bodyPart: text('x00180015'),
    rows: pm.rows,
    columns: pm.columns,
    samplesPerPixel: pm.samplesPerPixel,
    photometricInterpretation: pm.photometricInterpretation ?? 'MONOCHROME2',
    bitsAllocated: pm.bitsAllocated,
    bitsStored: pm.bitsStored,
    pixelRepresentation: pm.pixelRepresentation,
    rescaleSlope: float('x00281053') ?? 1,
    rescaleIntercept: float('x00281052') ?? 0,
    windowCenter: float('x00281050'),
    windowWidth: float('x00281051'),
    frames: frameViews(ds, pm),
    get dataset() {
      naturalized ??= naturalize(bytes, file)
      return naturalized
    },
  }
}

/** One typed array per frame, samples interleaved. */
function frameViews(ds: AttributeReader, pm: PixelModule): PixelArray[] {
  const Ctor = CTORS[pm.bitsAllocated]![pm.pixelRepresentation]!
  const perFrame = pm.rows * pm.columns * pm.samplesPerPixel
  const bytesPerFrame = perFrame * Ctor.BYTES_PER_ELEMENT
  const array = ds.byteArray
  const frames: PixelArray[] = []
  for (let f = 0; f < pm.numberOfFrames; f++) {
    const offset = array.byteOffset + pm.pixelDataOffset + f * bytesPerFrame
    const view =
      offset % Ctor.BYTES_PER_ELEMENT === 0
        ? new Ctor(array.buffer as ArrayBuffer, offset, perFrame)
        : new Ctor((array.buffer as ArrayBuffer).slice(offset, offset + bytesPerFrame))
    frames.push(pm.planarConfiguration === 1 ? interleave(view, pm.rows * pm.columns) : view)
  }
  return frames
}

/** Colour-by-plane (RRR…GGG…BBB…) as colour-by-pixel (RGBRGB…), in a new array. */
export function interleave<T extends PixelArray>(planes: T, pixels: number): T {
  const out = new (planes.constructor as new (n: number) => T)(pixels * 3)
  for (let i = 0; i < pixels; i++) {
    out[3 * i] = planes[i]!
    out[3 * i + 1] = planes[pixels + i]!
    out[3 * i + 2] = planes[2 * pixels + i]!
  }
  return out
}

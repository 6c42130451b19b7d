import { deflateSync } from 'node:zlib'
import type { DecodedImage } from '@btt/compute'
import { ConnectorsError } from '../errors.js'

/** The extension on the overlay Attachment: source pixels per overlay pixel (boxes are in source pixels). */
export const OVERLAY_SCALE_EXTENSION = 'https://btt.health/fhir/StructureDefinition/overlay-scale'

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  let c = 0xffffffff
  for (const b of body) c = CRC[(c ^ b) & 0xff]! ^ (c >>> 8)
  const out = Buffer.alloc(body.length + 8)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0, body.length + 4)
  return out
}

/** The window to map stored values to gray: the file's window, else the frame's range. */
function windowOf(image: DecodedImage, values: Float64Array): [number, number] {
  if (image.windowCenter !== undefined && image.windowWidth !== undefined && image.windowWidth > 0)
    return [image.windowCenter - image.windowWidth / 2, image.windowCenter + image.windowWidth / 2]
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const v of values) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  return hi > lo ? [lo, hi] : [lo, lo + 1]
}

/**
 * One frame of a decoded DICOM image as an 8-bit grayscale PNG for the SMART app's overlay
 * (windowed with the file's window or the frame's range, MONOCHROME1 inverted, colour averaged),
 * reduced by a whole factor so that neither side exceeds `maxSize`.
 *
 * @param image - from `@btt/compute`'s `decodeDicom`.
 * @param options - `{ frame?, maxSize? }` (frame 0, 1024 px).
 * @returns the PNG bytes and the factor (source pixels per PNG pixel).
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for a frame the image does not have.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { decodeDicom } from '@btt/compute'
 * import { overlayPng } from '@btt/connectors/ehr'
 * const { png } = overlayPng(await decodeDicom(readFileSync('image.dcm'), 'image.dcm'))
 * ```
 */
export function overlayPng(
  image: DecodedImage,
  options: { frame?: number; maxSize?: number } = {},
): { png: Uint8Array<ArrayBuffer>; scale: number } {
  const frame = options.frame ?? 0
  const pixels = image.frames[frame]
  const maxSize = options.maxSize ?? 1024
  if (!pixels || !Number.isInteger(maxSize) || maxSize < 1)
    throw new ConnectorsError(
      'CONNECTORS_INVALID_ARGUMENT',
      'No such frame, or a bad maximum size.',
      { details: { frame, maxSize } },
    )
  const { rows, columns, samplesPerPixel: spp } = image
  const scale = Math.ceil(Math.max(rows, columns) / maxSize)
  const [w, h] = [Math.ceil(columns / scale), Math.ceil(rows / scale)]
  const values = new Float64Array(w * h)
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const at = (y * scale * columns + x * scale) * spp
      let sum = 0
      for (let s = 0; s < spp; s++) sum += pixels[at + s] ?? 0
      values[y * w + x] = (sum / spp) * image.rescaleSlope + image.rescaleIntercept
    }
  const [lo, hi] = windowOf(image, values)
  const invert = image.photometricInterpretation === 'MONOCHROME1'
  const raw = Buffer.alloc(h * (w + 1))
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const g = Math.round(
        ((Math.min(hi, Math.max(lo, values[y * w + x]!)) - lo) * 255) / (hi - lo),
      )
      raw[y * (w + 1) + 1 + x] = invert ? 255 - g : g
    }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(w, 0)
  header.writeUInt32BE(h, 4)
  header[8] = 8
  const png = Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
  return { png: new Uint8Array(png), scale }
}

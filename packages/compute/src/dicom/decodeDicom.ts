import { z } from 'zod'
import { ComputeError } from '../errors.js'
import { parseArgs } from '../validate.js'
import { imageFromDataset } from './imageFromDataset.js'
import { littleEndianFrames } from './littleEndianFrames.js'
import { parsePart10 } from './part10/parsePart10.js'
import { type ReadAsDcmtk, readAsDcmtk } from './part10/readAsDcmtk.js'
import { relabelJpegLossless } from './part10/relabelJpegLossless.js'
import { EXPLICIT_VR_BIG_ENDIAN, UNDEFINED_LENGTH } from './part10/vr.js'
import { type AttributeReader, IMAGE_ATTRIBUTES, TopDataset } from './topDataset.js'
import { transcodeDicom } from './transcodeDicom.js'
import {
  COMPRESSED_TRANSFER_SYNTAXES,
  EXPLICIT_VR_LITTLE_ENDIAN,
  NATIVE_TRANSFER_SYNTAXES,
} from './transferSyntaxes.js'

export { transcodeDicom } from './transcodeDicom.js'
export { supportedTransferSyntaxes } from './transferSyntaxes.js'

export type PixelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array

/** A decoded image: its geometry, the attributes the pixel pipeline needs, and one view per frame. */
export type DecodedImage = {
  file: string
  studyInstanceUid: string
  seriesInstanceUid: string
  sopInstanceUid: string
  sopClassUid: string
  modality: string
  bodyPart: string | undefined
  rows: number
  columns: number
  samplesPerPixel: number
  photometricInterpretation: string
  bitsAllocated: number
  bitsStored: number
  pixelRepresentation: number
  rescaleSlope: number
  rescaleIntercept: number
  windowCenter: number | undefined
  windowWidth: number | undefined
  /** One typed view per frame over the decoded pixel data, samples interleaved (no copies when aligned). */
  frames: PixelArray[]
  /** The dataset's attributes naturalized by dcmjs up to Pixel Data, built on first access (for connectors). */
  readonly dataset: Record<string, unknown>
}

const argsSchema = z.tuple([z.instanceof(Uint8Array), z.string()])

export type DecodeDicomErrorType = ComputeError

/**
 * Decodes a DICOM Part 10 file into pixel views and the attributes the pipeline needs. Parsed with
 * dicom-parser (offsets, no copies: each frame is a typed view over the file's bytes); compressed
 * transfer syntaxes are first transcoded to explicit little endian with dcmjs-codecs' bundled
 * WebAssembly codecs. The Image Pixel Module is checked against PS3.3 C.7.6.3 first.
 *
 * @param bytes - the file's bytes (not changed).
 * @param file - a name for messages (e.g. the path).
 * @returns the decoded image.
 * @throws {ComputeError} `COMPUTE_UNREADABLE_DICOM` (not Part 10, truncated, malformed),
 * `COMPUTE_UNSUPPORTED_TRANSFER_SYNTAX`, `COMPUTE_MISSING_PIXEL_DATA`,
 * `COMPUTE_INVALID_PIXEL_MODULE`, `COMPUTE_UNSUPPORTED_PIXEL_FORMAT`, `COMPUTE_TRANSCODE_FAILED`.
 * @example
 * ```ts
 * import { decodeDicom } from '@btt/compute'
 * import { writeDicom } from '@btt/compute/testing'
 * const image = await decodeDicom(writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 }), 'a.dcm')
 * console.log(image.rows, image.frames.length) // 2 1
 * ```
 */
export async function decodeDicom(bytes: Uint8Array, file = '(buffer)'): Promise<DecodedImage> {
  // zod only when the arguments are not plainly right (the same outcome; once per file is measurable)
  if (!(bytes instanceof Uint8Array) || typeof file !== 'string')
    parseArgs(argsSchema, [bytes, file], 'decodeDicom arguments')
  // what dcmtk reads: no preamble or meta header, private sequences of undefined length (issue 11)
  const read = await readAsDcmtk(bytes, file, IMAGE_ATTRIBUTES)
  bytes = read.bytes
  // the common case: the attributes found by the structure walk, no second parse of the file
  // (a compressed file is parsed only once transcoded)
  // (deflated or CP-246 files, rewritten, are parsed by dicom-parser, their syntax read from it)
  let ds: AttributeReader | undefined = read.top ? fastPathOf(read) : parsePart10(bytes, file)
  const ts = read.top ? transferSyntaxOf(read.transferSyntaxUid) : (ds!.string('x00020010') ?? '')
  if (!NATIVE_TRANSFER_SYNTAXES.has(ts)) {
    if (!COMPRESSED_TRANSFER_SYNTAXES.has(ts))
      throw new ComputeError(
        'COMPUTE_UNSUPPORTED_TRANSFER_SYNTAX',
        `${file}: transfer syntax ${ts || '(none)'} is not supported.`,
        {
          details: { file, transferSyntaxUid: ts || null },
          metaMessages: [
            'Supported: implicit/explicit VR little endian, explicit big endian, RLE, JPEG baseline/lossless, JPEG-LS, JPEG 2000, HTJ2K, JPEG XL.',
          ],
        },
      )
    bytes = await transcodeDicom(relabelJpegLossless(bytes), EXPLICIT_VR_LITTLE_ENDIAN, file)
    ds = parsePart10(bytes, file)
  }
  ds ??= parsePart10(bytes, file)
  const image = imageFromDataset(ds, bytes, file)
  // the frames are views over the file: big endian samples are swapped into the platform's order
  // (transcoding them with dcmjs-codecs looped for ever on a big endian file with an FD of 10 bytes)
  if (ts !== EXPLICIT_VR_BIG_ENDIAN) return image
  return littleEndianFrames(image, ds.elements.x7fe00010?.vr)
}

/** The walked attributes as a dataset, unless Pixel Data has an undefined length (dicom-parser's reading kept). */
function fastPathOf(read: ReadAsDcmtk): TopDataset | undefined {
  if (!read.top || !read.encoding || read.top.x7fe00010?.length === UNDEFINED_LENGTH)
    return undefined
  return new TopDataset(read.bytes, read.top, read.encoding.littleEndian)
}

/** The meta header's transfer syntax as dicom-parser's `string` reads it (up to a NUL, trimmed). */
function transferSyntaxOf(uid: string): string {
  const nul = uid.indexOf('\0')
  return (nul < 0 ? uid : uid.slice(0, nul)).trim()
}

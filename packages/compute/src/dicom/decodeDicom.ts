/// <reference path="../types/dcmjs.d.ts" />
/// <reference path="../types/dcmjs-codecs.d.ts" />
/// <reference path="../types/dicom-parser.d.ts" />
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import dcmjs from 'dcmjs'
import dicomParser, { type DataSet } from 'dicom-parser'
import {
  DicomParseError,
  MissingPixelDataError,
  UnsupportedTransferSyntaxError,
} from '../errors.js'

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
  /** One typed view per frame over the decoded pixel data (no copies). */
  frames: PixelArray[]
  /** The whole dataset naturalized by dcmjs, built on first access (for connectors). */
  readonly dataset: Record<string, unknown>
}

const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2'])
const COMPRESSED = new Set([
  '1.2.840.10008.1.2.5', // RLE lossless
  '1.2.840.10008.1.2.4.50', // JPEG baseline
  '1.2.840.10008.1.2.4.57', // JPEG lossless
  '1.2.840.10008.1.2.4.70', // JPEG lossless SV1
  '1.2.840.10008.1.2.4.80', // JPEG-LS lossless
  '1.2.840.10008.1.2.4.81', // JPEG-LS near-lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 lossless
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.4.110', // JPEG XL lossless
  '1.2.840.10008.1.2.4.112', // JPEG XL
  '1.2.840.10008.1.2.4.201', // HTJ2K lossless
  '1.2.840.10008.1.2.4.202', // HTJ2K lossless RPCL
  '1.2.840.10008.1.2.4.203', // HTJ2K
])
const EXPLICIT_LE = '1.2.840.10008.1.2.1'

type Codecs = typeof import('dcmjs-codecs')
let codecs: Promise<Codecs> | undefined

/** dcmjs-codecs with its WebAssembly codecs loaded from the package (nothing is fetched). */
function loadCodecs(): Promise<Codecs> {
  codecs ??= (async () => {
    const require = createRequire(import.meta.url)
    const mod = require('dcmjs-codecs') as Codecs
    const wasm = join(dirname(require.resolve('dcmjs-codecs')), 'dcmjs-native-codecs.wasm')
    await mod.NativeCodecs.initializeAsync({ webAssemblyModulePathOrUrl: wasm })
    return mod
  })()
  return codecs
}

/**
 * Transcodes a DICOM Part 10 file to another transfer syntax (e.g. RLE `1.2.840.10008.1.2.5`,
 * JPEG-LS lossless `1.2.840.10008.1.2.4.80`) with dcmjs-codecs' bundled WebAssembly codecs.
 *
 * @throws {DicomParseError} when the file cannot be transcoded.
 */
export async function transcodeDicom(
  bytes: Uint8Array,
  transferSyntaxUid: string,
  file = '(buffer)',
): Promise<Uint8Array> {
  const { Transcoder } = await loadCodecs()
  try {
    const transcoder = new Transcoder(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    )
    transcoder.transcode(transferSyntaxUid)
    return new Uint8Array(transcoder.getDicomPart10())
  } catch (error) {
    throw new DicomParseError(
      file,
      `could not transcode to ${transferSyntaxUid}: ${(error as Error).message}`,
      error,
    )
  }
}

/** Transfer syntaxes `decodeDicom` can read. */
export const supportedTransferSyntaxes: readonly string[] = [...NATIVE, ...COMPRESSED]

/**
 * Decodes a DICOM Part 10 file into pixel views and the attributes the pipeline needs. Parsed with
 * dicom-parser (offsets, no copies: each frame is a typed view over the file's bytes); compressed
 * transfer syntaxes are first transcoded to explicit little endian with dcmjs-codecs' bundled
 * WebAssembly codecs.
 *
 * @param bytes - the file's bytes.
 * @param file - a name for messages (e.g. the path).
 * @returns the decoded image.
 * @throws {DicomParseError} not Part 10, truncated, or malformed.
 * @throws {UnsupportedTransferSyntaxError} a transfer syntax we cannot decode.
 * @throws {MissingPixelDataError} no image pixel module.
 */
export async function decodeDicom(bytes: Uint8Array, file = '(buffer)'): Promise<DecodedImage> {
  if (bytes.byteLength < 132) throw new DicomParseError(file, `only ${bytes.byteLength} bytes`)
  if (String.fromCharCode(...bytes.subarray(128, 132)) !== 'DICM')
    throw new DicomParseError(file, 'no "DICM" marker after the 128-byte preamble')
  let ds = parse(bytes, file)
  const ts = ds.string('x00020010')?.trim() ?? ''
  if (!NATIVE.has(ts)) {
    if (!COMPRESSED.has(ts)) throw new UnsupportedTransferSyntaxError(file, ts || '(none)')
    bytes = await transcodeDicom(bytes, EXPLICIT_LE, file)
    ds = parse(bytes, file)
  }
  return toImage(ds, bytes, file)
}

function parse(bytes: Uint8Array, file: string): DataSet {
  try {
    return dicomParser.parseDicom(bytes)
  } catch (error) {
    const message =
      error instanceof Error
        ? error.message
        : typeof error === 'string'
          ? error
          : (error as { exception?: string })?.exception
    throw new DicomParseError(file, message || 'malformed', error)
  }
}

function toImage(ds: DataSet, bytes: Uint8Array, file: string): DecodedImage {
  const el = ds.elements
  const missing = [
    ['x00280010', 'Rows'],
    ['x00280011', 'Columns'],
    ['x00280100', 'BitsAllocated'],
    ['x7fe00010', 'PixelData'],
  ]
    .filter(([tag]) => !el[tag!])
    .map(([, name]) => name!)
  if (missing.length) throw new MissingPixelDataError(file, missing)
  const rows = ds.uint16('x00280010')!
  const columns = ds.uint16('x00280011')!
  const bitsAllocated = ds.uint16('x00280100')!
  const samplesPerPixel = ds.uint16('x00280002') ?? 1
  const pixelRepresentation = ds.uint16('x00280103') ?? 0
  const frameCount = ds.intString('x00280008') ?? 1
  if (![8, 16, 32].includes(bitsAllocated))
    throw new DicomParseError(file, `BitsAllocated ${bitsAllocated} is not 8, 16 or 32`)
  if (!rows || !columns || frameCount < 1)
    throw new DicomParseError(file, `image of ${rows}×${columns}×${frameCount}`)
  const pixel = el.x7fe00010!
  const bytesPerFrame = rows * columns * samplesPerPixel * (bitsAllocated / 8)
  const available = Math.min(pixel.length, ds.byteArray.byteLength - pixel.dataOffset)
  if (available < bytesPerFrame * frameCount)
    throw new DicomParseError(
      file,
      `pixel data has ${available} bytes, ${rows}×${columns}×${frameCount} frames need ${bytesPerFrame * frameCount}`,
    )
  const signed = pixelRepresentation === 1
  const Ctor =
    bitsAllocated === 8
      ? signed
        ? Int8Array
        : Uint8Array
      : bitsAllocated === 16
        ? signed
          ? Int16Array
          : Uint16Array
        : signed
          ? Int32Array
          : Uint32Array
  const array = ds.byteArray
  const frames: PixelArray[] = []
  for (let f = 0; f < frameCount; f++) {
    const offset = array.byteOffset + pixel.dataOffset + f * bytesPerFrame
    // a zero-copy view when aligned; a copy otherwise
    frames.push(
      offset % Ctor.BYTES_PER_ELEMENT === 0
        ? new Ctor(array.buffer as ArrayBuffer, offset, bytesPerFrame / Ctor.BYTES_PER_ELEMENT)
        : new Ctor((array.buffer as ArrayBuffer).slice(offset, offset + bytesPerFrame)),
    )
  }
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
    rows,
    columns,
    samplesPerPixel,
    photometricInterpretation: text('x00280004') ?? 'MONOCHROME2',
    bitsAllocated,
    bitsStored: ds.uint16('x00280101') ?? bitsAllocated,
    pixelRepresentation,
    rescaleSlope: float('x00281053') ?? 1,
    rescaleIntercept: float('x00281052') ?? 0,
    windowCenter: float('x00281050'),
    windowWidth: float('x00281051'),
    frames,
    get dataset() {
      naturalized ??= naturalize(bytes, file)
      return naturalized
    },
  }
}

/** The whole dataset, naturalized by dcmjs (parsed again, on demand). */
function naturalize(bytes: Uint8Array, file: string): Record<string, unknown> {
  try {
    const dict = dcmjs.data.DicomMessage.readFile(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    )
    return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict)
  } catch (error) {
    throw new DicomParseError(file, (error as Error).message, error)
  }
}

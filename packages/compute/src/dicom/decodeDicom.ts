import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import dcmjs from 'dcmjs'
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
  /** The naturalized dataset, for connectors that need more attributes. */
  dataset: Record<string, unknown>
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
 * Decodes a DICOM Part 10 file into pixel views and the attributes the pipeline needs. Native
 * transfer syntaxes are read in place; compressed ones are transcoded to explicit little endian
 * with dcmjs-codecs' bundled WebAssembly codecs.
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
  const buffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer
  let dict = read(buffer, file)
  const ts = String((dict.meta['00020010'] as { Value?: unknown[] } | undefined)?.Value?.[0] ?? '')
  if (!NATIVE.has(ts)) {
    if (!COMPRESSED.has(ts)) throw new UnsupportedTransferSyntaxError(file, ts || '(none)')
    const native = await transcodeDicom(bytes, EXPLICIT_LE, file)
    dict = read(native.buffer as ArrayBuffer, file)
  }
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict)
  return toImage(ds, file)
}

function read(buffer: ArrayBuffer, file: string) {
  try {
    return dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: false, untilTag: undefined })
  } catch (error) {
    throw new DicomParseError(file, (error as Error).message || String(error), error)
  }
}

const num = (v: unknown): number | undefined => {
  const x = Array.isArray(v) ? v[0] : v
  const n = typeof x === 'string' ? Number(x) : x
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}
const str = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v
  return typeof x === 'string' ? x : undefined
}

function toImage(ds: Record<string, unknown>, file: string): DecodedImage {
  const required = ['Rows', 'Columns', 'BitsAllocated', 'PixelData'] as const
  const missing = required.filter((k) => ds[k] === undefined)
  if (missing.length) throw new MissingPixelDataError(file, missing)
  const rows = num(ds.Rows)!
  const columns = num(ds.Columns)!
  const bitsAllocated = num(ds.BitsAllocated)!
  const samplesPerPixel = num(ds.SamplesPerPixel) ?? 1
  const pixelRepresentation = num(ds.PixelRepresentation) ?? 0
  const frameCount = num(ds.NumberOfFrames) ?? 1
  if (![8, 16, 32].includes(bitsAllocated))
    throw new DicomParseError(file, `BitsAllocated ${bitsAllocated} is not 8, 16 or 32`)
  const data = ds.PixelData as ArrayBuffer[] | ArrayBuffer
  const chunks = Array.isArray(data) ? data : [data]
  const bytesPerFrame = rows * columns * samplesPerPixel * (bitsAllocated / 8)
  const frames: PixelArray[] = []
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
  const total = chunks.reduce((s, c) => s + c.byteLength, 0)
  if (total < bytesPerFrame * frameCount)
    throw new DicomParseError(
      file,
      `pixel data has ${total} bytes, ${rows}×${columns}×${frameCount} frames need ${bytesPerFrame * frameCount}`,
    )
  const whole = chunks.length === 1 ? chunks[0]! : concat(chunks)
  for (let f = 0; f < frameCount; f++) {
    const offset = f * bytesPerFrame
    if (offset % Ctor.BYTES_PER_ELEMENT === 0)
      frames.push(new Ctor(whole, offset, bytesPerFrame / Ctor.BYTES_PER_ELEMENT))
    else frames.push(new Ctor(whole.slice(offset, offset + bytesPerFrame)))
  }
  return {
    file,
    studyInstanceUid: str(ds.StudyInstanceUID) ?? '',
    seriesInstanceUid: str(ds.SeriesInstanceUID) ?? '',
    sopInstanceUid: str(ds.SOPInstanceUID) ?? '',
    sopClassUid: str(ds.SOPClassUID) ?? '',
    modality: str(ds.Modality) ?? '',
    bodyPart: str(ds.BodyPartExamined),
    rows,
    columns,
    samplesPerPixel,
    photometricInterpretation: str(ds.PhotometricInterpretation) ?? 'MONOCHROME2',
    bitsAllocated,
    bitsStored: num(ds.BitsStored) ?? bitsAllocated,
    pixelRepresentation,
    rescaleSlope: num(ds.RescaleSlope) ?? 1,
    rescaleIntercept: num(ds.RescaleIntercept) ?? 0,
    windowCenter: num(ds.WindowCenter),
    windowWidth: num(ds.WindowWidth),
    frames,
    dataset: ds,
  }
}

function concat(chunks: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.byteLength, 0))
  let o = 0
  for (const c of chunks) {
    out.set(new Uint8Array(c), o)
    o += c.byteLength
  }
  return out.buffer
}

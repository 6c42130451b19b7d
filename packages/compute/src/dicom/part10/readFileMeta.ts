import { inferEncoding } from './inferEncoding.js'
import { ReadFailure, tagName } from './unreadableAt.js'
import { type Encoding, encodingOf, transferSyntaxOf, VR_KIND } from './vr.js'

/** How a file is laid out: where its meta header and dataset are, and the dataset's transfer syntax. */
export type FileLayout = {
  /** `part10`: preamble, "DICM", meta; `no-preamble`: the meta header (or "DICM" and it) at byte 0; `dataset`: a bare dataset. */
  form: 'part10' | 'no-preamble' | 'dataset'
  /** Where the file meta elements start (= datasetOffset when there are none). */
  metaOffset: number
  datasetOffset: number
  transferSyntaxUid: string
  encoding: Encoding
  /** The transfer syntax was inferred from the dataset (no meta header, or one without (0002,0010)). */
  inferred: boolean
  /** Where the meta elements after File Meta Information Group Length (0002,0000) start. */
  metaElementsOffset: number
  /** (0002,0000) is there and says how long the rest of the meta header is (dcmjs relies on it). */
  metaLengthOk: boolean
}

/**
 * Finds the file meta header and the dataset, as dcmtk's DcmFileFormat does: "DICM" after a
 * 128-byte preamble; else a group-0002 element at byte 0 (meta header without preamble; "DICM"
 * then a meta header at byte 0 is accepted too, which dcmtk refuses); else a bare dataset whose
 * encoding is inferred from its first element.
 *
 * @throws {ReadFailure} a malformed meta header, or a dataset too short to infer from.
 */
export function readFileMeta(bytes: Uint8Array): FileLayout {
  const magic = (at: number) =>
    bytes.byteLength >= at + 4 &&
    bytes[at] === 0x44 &&
    bytes[at + 1] === 0x49 &&
    bytes[at + 2] === 0x43 &&
    bytes[at + 3] === 0x4d
  let form: FileLayout['form']
  let metaOffset: number
  if (magic(128)) [form, metaOffset] = ['part10', 132]
  else if (magic(0)) [form, metaOffset] = ['no-preamble', 4]
  else if (
    bytes.byteLength >= 8 &&
    bytes[0] === 0x02 &&
    bytes[1] === 0 &&
    /^[A-Z]{2}$/.test(String.fromCharCode(bytes[4]!, bytes[5]!))
  )
    [form, metaOffset] = ['no-preamble', 0]
  else [form, metaOffset] = ['dataset', 0]
  const { end, transferSyntaxUid } = metaElements(bytes, metaOffset)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const hasLength = end - metaOffset >= 12 && view.getUint32(metaOffset, true) === 0x0002 // (0002,0000)
  const metaElementsOffset = hasLength ? metaOffset + 12 : metaOffset
  const metaLengthOk =
    hasLength && view.getUint32(metaOffset + 8, true) === end - metaElementsOffset
  const meta = { metaElementsOffset, metaLengthOk }
  if (transferSyntaxUid)
    return {
      ...meta,
      form,
      metaOffset,
      datasetOffset: end,
      transferSyntaxUid,
      encoding: encodingOf(transferSyntaxUid),
      inferred: false,
    }
  if (end === bytes.byteLength && form !== 'dataset')
    return {
      ...meta,
      form,
      metaOffset,
      datasetOffset: end,
      transferSyntaxUid: transferSyntaxOf({ explicit: true, littleEndian: true }),
      encoding: { explicit: true, littleEndian: true },
      inferred: true,
    }
  const encoding = inferEncoding(bytes, end)
  return {
    ...meta,
    form,
    metaOffset,
    datasetOffset: end,
    transferSyntaxUid: transferSyntaxOf(encoding),
    encoding,
    inferred: true,
  }
}

/** Reads explicit VR little endian group-0002 elements from `pos`; returns where they end and the transfer syntax. */
function metaElements(bytes: Uint8Array, pos: number): { end: number; transferSyntaxUid?: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let transferSyntaxUid: string | undefined
  while (bytes.byteLength - pos >= 8 && view.getUint16(pos, true) === 0x0002) {
    const element = view.getUint16(pos + 2, true)
    if (!isUpper(bytes[pos + 4]!) || !isUpper(bytes[pos + 5]!))
      throw new ReadFailure(
        `file meta element ${tagName(2, element)} is not in explicit VR`,
        pos + 4,
      )
    const long = VR_KIND[(bytes[pos + 4]! << 8) | bytes[pos + 5]!] === 2
    if (long && bytes.byteLength - pos < 12)
      throw new ReadFailure(`file meta element ${tagName(2, element)} header is cut short`, pos)
    const length = long ? view.getUint32(pos + 8, true) : view.getUint16(pos + 6, true)
    const value = pos + (long ? 12 : 8)
    if (length > bytes.byteLength - value)
      throw new ReadFailure(
        `file meta element ${tagName(2, element)} declares ${length} bytes but only ${bytes.byteLength - value} remain`,
        pos,
      )
    if (element === 0x0010)
      transferSyntaxUid = String.fromCharCode
        .apply(null, bytes.subarray(value, value + length) as unknown as number[])
        .replace(/[\0 ]+$/, '')
    pos = value + length
  }
  return transferSyntaxUid ? { end: pos, transferSyntaxUid } : { end: pos }
}

function isUpper(byte: number): boolean {
  return byte >= 0x41 && byte <= 0x5a
}

import { z } from 'zod'
import { toComputeError } from '../../errors.js'
import { parseArgs } from '../../validate.js'
import { buildFileMeta, preambleAndGroupLength } from './buildFileMeta.js'
import { type FileLayout, readFileMeta } from './readFileMeta.js'
import { ReadFailure, unreadableAt } from './unreadableAt.js'
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, type Encoding } from './vr.js'
import { type DatasetSummary, type TopElement, walkDataset } from './walkDataset.js'

const argsSchema = z.tuple([z.instanceof(Uint8Array), z.string()])

/** A file as DICOM Part 10, and how it was read. */
export type ToPart10ReturnType = {
  /**
   * The input itself when it was already Part 10 with a transfer syntax (a view of it without
   * trailing zero padding, if it had some); else a new buffer.
   */
  bytes: Uint8Array
  /** The transfer syntax the dataset was read with (from the meta header, or inferred). */
  transferSyntaxUid: string
  /** How the input was stored: `part10`, `no-preamble` (meta header at byte 0) or a bare `dataset`. */
  form: FileLayout['form']
  /** The transfer syntax was inferred from the dataset's first element, as dcmtk does. */
  inferred: boolean
  /** Elements in the dataset, nested ones included (0 when deflated: not walked). */
  elements: number
  /** Explicit-VR `UN` elements of undefined length (for {@link unSequencesAsSq}); 0 when deflated. */
  unSequences: number
  /** Where the dataset starts in `bytes` (after the meta header). */
  datasetOffset: number
}

export type ToPart10ErrorType = import('../../errors.js').ComputeError

/**
 * Reads what dcmtk reads, and hands the DICOM parsers a Part 10 file: a dataset stored without
 * the preamble and file meta header (implicit VR little endian as older systems wrote it, or
 * explicit VR either byte order) gets a file meta header naming the transfer syntax inferred from
 * its first element as dcmtk does; a meta header without preamble gets one. The whole element
 * structure is walked first (sequences and items of undefined length, private sequences of
 * undefined length in implicit VR and as `UN`, in any group, nested), so a malformed file is
 * refused with the reason and the byte offset before any parser sees it.
 *
 * @param bytes - the file's bytes (not changed).
 * @param file - a name for messages.
 * @returns the Part 10 bytes and how they were read.
 * @throws {ComputeError} `COMPUTE_UNREADABLE_DICOM` with `details.reason` and `details.offset`.
 * @example
 * ```ts
 * import { toPart10 } from '@btt/compute'
 * // (0008,0060) CS "OT", implicit VR little endian, no preamble or meta header
 * const raw = Uint8Array.of(0x08, 0, 0x60, 0, 2, 0, 0, 0, 0x4f, 0x54)
 * const { bytes, transferSyntaxUid, form } = toPart10(raw, 'raw.dcm')
 * console.log(form, transferSyntaxUid, bytes.byteLength > raw.byteLength) // dataset 1.2.840.10008.1.2 true
 * ```
 */
export function toPart10(bytes: Uint8Array, file = '(buffer)'): ToPart10ReturnType {
  parseArgs(argsSchema, [bytes, file], 'toPart10 arguments')
  return readPart10(bytes, file).part10
}

/** {@link toPart10}'s work, unchecked arguments, with the dataset's encoding and (asked for) top elements. */
export type ReadPart10 = {
  part10: ToPart10ReturnType
  encoding: Encoding
  /** The top-level elements asked for, their offsets in `part10.bytes`; undefined when deflated. */
  top?: Record<string, TopElement>
}

/**
 * {@link toPart10} without checking its arguments (the file meta header read once, the structure
 * walked once), for callers that checked them.
 *
 * @param wanted - top-level tags whose places to return (see {@link walkDataset}).
 */
export function readPart10(
  bytes: Uint8Array,
  file: string,
  wanted?: ReadonlyMap<number, string>,
): ReadPart10 {
  let layout: FileLayout | undefined
  let summary: DatasetSummary = { elements: 0, unSequences: 0, uids: {} }
  try {
    layout = readFileMeta(bytes)
    if (layout.transferSyntaxUid !== DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)
      summary = walkDataset(bytes, layout.datasetOffset, bytes.byteLength, layout.encoding, wanted)
  } catch (error) {
    if (!(error instanceof ReadFailure)) throw toComputeError(error, { file })
    const how = layout?.inferred
      ? `read as ${layout.transferSyntaxUid} (${layout.form === 'dataset' ? 'no file meta header' : 'no transfer syntax in the meta header'}; inferred from the first element as dcmtk does): `
      : ''
    throw unreadableAt(file, how + error.reason, error.offset)
  }
  const part10 = part10Bytes(bytes, layout, summary)
  const shift = part10.datasetOffset - layout.datasetOffset
  const top = summary.top
  if (top && shift) for (const key in top) top[key]!.dataOffset += shift
  return top ? { part10, encoding: layout.encoding, top } : { part10, encoding: layout.encoding }
}

function part10Bytes(
  bytes: Uint8Array,
  layout: FileLayout,
  summary: DatasetSummary,
): ToPart10ReturnType {
  const { form, inferred, transferSyntaxUid } = layout
  const result = {
    transferSyntaxUid,
    form,
    inferred,
    elements: summary.elements,
    unSequences: summary.unSequences,
  }
  // trailing zero padding (dcmtk ignores it) is left out: a view, not a copy
  const end = summary.paddingAt ?? bytes.byteLength
  if (form === 'part10' && !inferred && layout.metaLengthOk)
    return {
      bytes: end === bytes.byteLength ? bytes : bytes.subarray(0, end),
      ...result,
      datasetOffset: layout.datasetOffset,
    }
  // a meta header that is kept: its elements as they are, behind a preamble and a group length
  // (dcmjs refused a meta header without (0002,0000), which dcmtk reads)
  const kept = inferred
    ? undefined
    : bytes.subarray(layout.metaElementsOffset, layout.datasetOffset)
  const meta = kept
    ? concat(preambleAndGroupLength(kept.byteLength), kept)
    : buildFileMeta({ transferSyntaxUid, ...summary.uids })
  const out = new Uint8Array(meta.byteLength + end - layout.datasetOffset)
  out.set(meta)
  out.set(bytes.subarray(layout.datasetOffset, end), meta.byteLength)
  return { bytes: out, ...result, datasetOffset: meta.byteLength }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength)
  out.set(a)
  out.set(b, a.byteLength)
  return out
}

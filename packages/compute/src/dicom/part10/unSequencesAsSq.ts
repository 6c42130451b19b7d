/// <reference path="../../types/dcmjs.d.ts" />
import dcmjs from 'dcmjs'
import { z } from 'zod'
import { parseArgs } from '../../validate.js'
import { readFileMeta } from './readFileMeta.js'
import { ReadFailure, unreadableAt } from './unreadableAt.js'
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, LONG_HEADER_VRS, UNDEFINED_LENGTH } from './vr.js'
import { walkDataset } from './walkDataset.js'

const argsSchema = z.tuple([z.instanceof(Uint8Array), z.string()])
const dictionary = (
  dcmjs.data.DicomMetaDictionary as unknown as { dictionary: Record<string, { vr?: string }> }
).dictionary
const ITEM_START = Uint8Array.of(0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff)
const ITEM_END = Uint8Array.of(0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0)
const SEQUENCE_END = Uint8Array.of(0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0)

export type UnSequencesAsSqErrorType = import('../../errors.js').ComputeError

/**
 * An explicit VR little endian file whose `UN` elements of undefined length (CP-246: sequences a
 * writer without the private dictionary stored as it read them, items in implicit VR little
 * endian) rewritten as `SQ` with explicit-VR items, as dcmtk reads them: each nested element gets
 * its data-dictionary VR (private creators LO, other private elements and unknown tags UN).
 * Sequences and items around them are written with undefined lengths; other bytes are copied.
 * dcmjs cannot read such `UN` elements (it fails with a RangeError); dicom-parser and dcmtk can.
 * A file without them is returned as it is.
 *
 * @param bytes - a Part 10 file, e.g. {@link toPart10}'s output (not changed).
 * @param file - a name for messages.
 * @returns the rewritten file, or the input.
 * @throws {ComputeError} `COMPUTE_UNREADABLE_DICOM` when the structure does not add up.
 * @example
 * ```ts
 * import { unSequencesAsSq } from '@btt/compute'
 * import { writeDicom } from '@btt/compute/testing'
 * const file = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })
 * console.log(unSequencesAsSq(file) === file) // true: nothing to rewrite
 * ```
 */
export function unSequencesAsSq(bytes: Uint8Array, file = '(buffer)'): Uint8Array {
  parseArgs(argsSchema, [bytes, file], 'unSequencesAsSq arguments')
  try {
    const layout = readFileMeta(bytes)
    const { explicit, littleEndian } = layout.encoding
    const deflated = layout.transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN
    if (!explicit || !littleEndian || deflated || layout.form !== 'part10') return bytes
    if (!walkDataset(bytes, layout.datasetOffset, bytes.byteLength, layout.encoding).unSequences)
      return bytes
    const writer = new Rewriter(bytes)
    writer.out.push(bytes.subarray(0, layout.datasetOffset))
    writer.dataset(layout.datasetOffset, bytes.byteLength, true)
    return writer.joined()
  } catch (error) {
    if (error instanceof ReadFailure) throw unreadableAt(file, error.reason, error.offset)
    throw error
  }
}

/** The VR dcmtk's dictionary would give an implicit-VR element. */
function vrOf(group: number, element: number): string {
  if (element === 0) return 'UL'
  if (group % 2) return element >= 0x10 && element <= 0xff ? 'LO' : 'UN'
  const hex = (n: number) => n.toString(16).padStart(4, '0').toUpperCase()
  const vr = dictionary[`(${hex(group)},${hex(element)})`]?.vr
  if (!vr || vr === 'na') return 'UN'
  if (vr.includes(' or ')) return vr.includes('OW') ? 'OW' : vr.slice(0, 2)
  return vr
}

class Rewriter {
  readonly out: Uint8Array[] = []
  private readonly view: DataView
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  joined(): Uint8Array {
    const result = new Uint8Array(this.out.reduce((n, c) => n + c.byteLength, 0))
    let at = 0
    for (const chunk of this.out) {
      result.set(chunk, at)
      at += chunk.byteLength
    }
    return result
  }

  /** Elements from `pos` to `end` or to an item delimiter (returns the position after it). */
  dataset(pos: number, end: number, explicit: boolean): number {
    while (pos < end) {
      const group = this.view.getUint16(pos, true)
      const element = this.view.getUint16(pos + 2, true)
      if (group === 0xfffe && element === 0xe00d) return pos + 8
      pos = explicit
        ? this.explicitElement(pos, end, group, element)
        : this.implicitElement(pos, group, element)
    }
    return pos
  }

  private explicitElement(pos: number, end: number, group: number, element: number): number {
    const vr = String.fromCharCode(this.bytes[pos + 4]!, this.bytes[pos + 5]!)
    const long = LONG_HEADER_VRS.has(vr)
    const length = long ? this.view.getUint32(pos + 8, true) : this.view.getUint16(pos + 6, true)
    const value = pos + (long ? 12 : 8)
    if (length === UNDEFINED_LENGTH && group === 0x7fe0 && element === 0x0010) {
      const after = this.fragmentsEnd(value)
      this.out.push(this.bytes.subarray(pos, after))
      return after
    }
    if (vr === 'SQ' || (vr === 'UN' && length === UNDEFINED_LENGTH)) {
      this.sequenceHeader(group, element)
      const defined = length !== UNDEFINED_LENGTH
      return this.items(value, defined ? value + length : end, defined, vr === 'SQ')
    }
    this.out.push(this.bytes.subarray(pos, value + length))
    return value + length
  }

  private implicitElement(pos: number, group: number, element: number): number {
    const length = this.view.getUint32(pos + 4, true)
    const value = pos + 8
    const vr = length === UNDEFINED_LENGTH ? 'SQ' : vrOf(group, element)
    if (vr === 'SQ') {
      this.sequenceHeader(group, element)
      const defined = length !== UNDEFINED_LENGTH
      return this.items(value, defined ? value + length : this.bytes.byteLength, defined, false)
    }
    const written = !LONG_HEADER_VRS.has(vr) && length > 0xffff ? 'UN' : vr
    const long = LONG_HEADER_VRS.has(written)
    const header = new Uint8Array(long ? 12 : 8)
    const h = new DataView(header.buffer)
    h.setUint16(0, group, true)
    h.setUint16(2, element, true)
    header[4] = written.charCodeAt(0)
    header[5] = written.charCodeAt(1)
    if (long) h.setUint32(8, length, true)
    else h.setUint16(6, length, true)
    this.out.push(header, this.bytes.subarray(value, value + length))
    return value + length
  }

  private sequenceHeader(group: number, element: number) {
    const header = new Uint8Array(12)
    const h = new DataView(header.buffer)
    h.setUint16(0, group, true)
    h.setUint16(2, element, true)
    header.set([0x53, 0x51, 0, 0], 4) // SQ
    h.setUint32(8, UNDEFINED_LENGTH, true)
    this.out.push(header)
  }

  /** A sequence's items, each written with undefined length, then the sequence delimiter. */
  private items(pos: number, end: number, defined: boolean, explicit: boolean): number {
    for (;;) {
      if (defined && pos >= end) break
      const element = this.view.getUint16(pos + 2, true)
      const length = this.view.getUint32(pos + 4, true)
      if (element === 0xe0dd) {
        pos += 8
        break
      }
      this.out.push(ITEM_START)
      if (length === UNDEFINED_LENGTH) pos = this.dataset(pos + 8, end, explicit)
      else {
        this.dataset(pos + 8, pos + 8 + length, explicit)
        pos += 8 + length
      }
      this.out.push(ITEM_END)
    }
    this.out.push(SEQUENCE_END)
    return pos
  }

  private fragmentsEnd(pos: number): number {
    while (this.view.getUint16(pos + 2, true) !== 0xe0dd)
      pos += 8 + this.view.getUint32(pos + 4, true)
    return pos + 8
  }
}

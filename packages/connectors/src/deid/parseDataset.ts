import { inflateRawSync } from 'node:zlib'
import { ConnectorsError, type ConnectorsErrorCode } from '../errors.js'
import { vrOf } from './vrDictionary.js'

/** One element of a parsed file: where it lies in the bytes, and its items if it is a sequence. */
export type DicomNode = {
  /** (group << 16 | element), unsigned. */
  tag: number
  /** The VR written in the file, or the dictionary's for implicit VR (`UN` when unknown). */
  vr: string
  /** Offset of the element's header. */
  start: number
  /** Offset of its value. */
  value: number
  /** Value length in bytes (for undefined length: up to the delimiter). */
  length: number
  /** Offset just after the element, delimiter included. */
  end: number
  items?: DicomNode[][]
}

export type ParsedDicom = {
  /** The bytes the offsets refer to (inflated for the deflated transfer syntax). */
  bytes: Buffer
  meta: DicomNode[]
  transferSyntax: string
  explicit: boolean
  littleEndian: boolean
  /** True for deflated input: the data set was inflated and is written as explicit VR LE. */
  inflated: boolean
  dataset: DicomNode[]
}

export type ParseDatasetParameters = { file: string; maxDepth: number }

const IMPLICIT_LE = '1.2.840.10008.1.2'
const EXPLICIT_BE = '1.2.840.10008.1.2.2'
const DEFLATED = ['1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.8.1']
/** VRs whose explicit-VR header has a 4-byte length (PS3.5 7.1.2). */
export const LONG = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'SV',
  'UC',
  'UN',
  'UR',
  'UT',
  'UV',
])
const VRS = new Set([
  ...LONG,
  ...'AE AS AT CS DA DS DT FD FL IS LO LT PN SH SL SS ST TM UI UL US'.split(' '),
])
/** VR by its two bytes (first << 8 | second): no string made per element. */
const VR_BY_CODE = new Map([...VRS].map((vr) => [(vr.charCodeAt(0) << 8) | vr.charCodeAt(1), vr]))
const ITEM = 0xfffee000
const ITEM_END = 0xfffee00d
const SEQ_END = 0xfffee0dd
const PIXEL_DATA = 0x7fe00010
const UNDEFINED = 0xffffffff

/**
 * Parses a DICOM Part 10 file in one strict pass, without copying values: every element's offsets,
 * sequences to any depth (defined or undefined length, implicit-VR `UN` sequences included),
 * encapsulated Pixel Data skipped fragment by fragment. Explicit and implicit VR, little and big
 * endian, deflated. Zero bytes after the last top-level element are trailing padding (left out,
 * as dcmtk reads them). Anything that does not add up (a length past its container, a missing
 * delimiter, an unknown VR, an item where an element belongs) is refused with the byte offset.
 *
 * @param bytes - the file.
 * @param parameters - `{ file }` names the file in messages; `maxDepth` bounds sequence nesting.
 * @returns the meta header, the transfer syntax and the data set's elements.
 * @throws {ConnectorsError} `DEID_UNREADABLE_FILE`, `DEID_TOO_DEEP`.
 */
export function parseDataset(bytes: Uint8Array, parameters: ParseDatasetParameters): ParsedDicom {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (b.length < 132 || b.toString('latin1', 128, 132) !== 'DICM')
    throw fail(parameters.file, 'not a DICOM Part 10 file (no DICM marker at offset 128)', 128)
  const metaReader = new Reader(b, parameters, true, true)
  const meta = metaReader.dataset(132, b.length, 0, 0x0002)
  const end = meta.at(-1)?.end ?? 132
  const tsNode = meta.find((n) => n.tag === 0x00020010)
  if (!tsNode)
    throw fail(parameters.file, 'no Transfer Syntax UID (0002,0010) in the meta header', 132)
  const transferSyntax = b
    .toString('latin1', tsNode.value, tsNode.value + tsNode.length)
    .replace(/[\0 ]+$/, '')
  if (DEFLATED.includes(transferSyntax)) {
    let inflated: Buffer
    try {
      inflated = inflateRawSync(b.subarray(end))
    } catch (error) {
      throw fail(parameters.file, 'the deflated data set does not inflate', end, error)
    }
    const all = Buffer.concat([b.subarray(0, end), inflated])
    const dataset = new Reader(all, parameters, true, true).dataset(end, all.length, 0)
    return {
      bytes: all,
      meta,
      transferSyntax,
      explicit: true,
      littleEndian: true,
      inflated: true,
      dataset,
    }
  }
  const explicit = transferSyntax !== IMPLICIT_LE
  const littleEndian = transferSyntax !== EXPLICIT_BE
  const dataset = new Reader(b, parameters, explicit, littleEndian).dataset(end, b.length, 0)
  return { bytes: b, meta, transferSyntax, explicit, littleEndian, inflated: false, dataset }
}

/** Where the run of zero bytes that ends at `end` starts (`end` when the last byte is not zero). */
function zerosFrom(b: Buffer, end: number): number {
  let i = end
  while (i > 0 && b[i - 1] === 0) i--
  return i
}

class Reader {
  constructor(
    readonly b: Buffer,
    readonly p: ParseDatasetParameters,
    readonly explicit: boolean,
    readonly le: boolean,
  ) {}

  u16(at: number) {
    return this.le ? this.b[at]! | (this.b[at + 1]! << 8) : (this.b[at]! << 8) | this.b[at + 1]!
  }
  u32(at: number) {
    return this.le ? this.b.readUInt32LE(at) : this.b.readUInt32BE(at)
  }
  tag(at: number) {
    return ((this.u16(at) << 16) | this.u16(at + 2)) >>> 0
  }

  /**
   * Elements from `pos` up to `end`; in an undefined-length item (`end` = the container's end) up
   * to its delimiter. `onlyGroup` stops at the first element of another group (the meta header).
   */
  dataset(
    pos: number,
    end: number,
    depth: number,
    onlyGroup?: number,
    inItem = false,
  ): DicomNode[] {
    const nodes: DicomNode[] = []
    // zero bytes after the last top-level element: padding some writers add (dcmtk ignores it);
    // where the zeros start is found once (an element may well start with a zero byte)
    const padding = depth === 0 && onlyGroup === undefined ? zerosFrom(this.b, end) : end
    while (pos < end) {
      if (pos >= padding && nodes.length) break
      if (pos + 8 > end) throw fail(this.p.file, 'truncated element header', pos)
      const tag = this.tag(pos)
      if (onlyGroup !== undefined && tag >>> 16 !== onlyGroup) break
      if (tag === ITEM_END && inItem) {
        if (this.u32(pos + 4) !== 0) throw fail(this.p.file, 'item delimiter with a length', pos)
        nodes.push({ tag, vr: '', start: pos, value: pos + 8, length: 0, end: pos + 8 })
        return nodes
      }
      if (tag >>> 16 === 0xfffe)
        throw fail(this.p.file, `unexpected ${hex(tag)} in a data set`, pos)
      const node = this.element(pos, end, depth, tag)
      nodes.push(node)
      pos = node.end
    }
    if (inItem) throw fail(this.p.file, 'item without its delimiter', pos)
    return nodes
  }

  element(pos: number, end: number, depth: number, tag: number): DicomNode {
    let vr: string
    let length: number
    let header: number
    if (this.explicit) {
      const known = VR_BY_CODE.get((this.b[pos + 4]! << 8) | this.b[pos + 5]!)
      if (!known) {
        const seen = JSON.stringify(this.b.toString('latin1', pos + 4, pos + 6))
        throw fail(this.p.file, `unknown VR ${seen} for ${hex(tag)}`, pos + 4)
      }
      vr = known
      if (LONG.has(vr)) {
        if (pos + 12 > end) throw fail(this.p.file, 'truncated element header', pos)
        length = this.u32(pos + 8)
        header = 12
      } else {
        length = this.u16(pos + 6)
        header = 8
      }
    } else {
      vr = vrOf(tag) ?? (isPrivateCreator(tag) ? 'LO' : 'UN')
      length = this.u32(pos + 4)
      header = 8
    }
    const value = pos + header
    if (length === UNDEFINED) return this.undefinedLength(tag, vr, pos, value, end, depth)
    if (value + length > end)
      throw fail(this.p.file, `${hex(tag)} claims ${length} bytes; only ${end - value} remain`, pos)
    const node: DicomNode = { tag, vr, start: pos, value, length, end: value + length }
    if (vr === 'SQ') node.items = this.items(value, value + length, depth, false, this)
    return node
  }

  undefinedLength(tag: number, vr: string, pos: number, value: number, end: number, depth: number) {
    let items: DicomNode[][] | undefined
    let after: number
    if (
      tag === PIXEL_DATA &&
      (vr === 'OB' || vr === 'OW' || vr === 'UN') &&
      this.tag(value) === ITEM
    ) {
      after = this.fragments(value, end)
    } else if (vr === 'SQ' || vr === 'UN') {
      // an undefined-length UN is a sequence in implicit VR little endian (PS3.5 6.2.2)
      const reader = vr === 'UN' ? new Reader(this.b, this.p, false, true) : this
      items = this.items(value, end, depth, true, reader)
      after = (items.pop()?.[0]?.end ?? value) as number
    } else throw fail(this.p.file, `${hex(tag)} ${vr} has an undefined length`, pos)
    const node: DicomNode = { tag, vr, start: pos, value, length: after - 8 - value, end: after }
    if (items) node.items = items
    return node
  }

  /** Items of a sequence; with `undefinedLength`, the last entry is [the sequence delimiter]. */
  items(pos: number, end: number, depth: number, undefinedLength: boolean, reader: Reader) {
    if (depth + 1 > this.p.maxDepth)
      throw new ConnectorsError(
        'DEID_TOO_DEEP',
        `${this.p.file}: cannot de-identify: sequences nested deeper than ${this.p.maxDepth}.`,
        { details: { file: this.p.file, offset: pos, maxDepth: this.p.maxDepth } },
      )
    const items: DicomNode[][] = []
    while (undefinedLength || pos < end) {
      if (pos + 8 > end) throw fail(this.p.file, 'sequence without its delimiter', pos)
      const tag = reader.tag(pos)
      const length = reader.u32(pos + 4)
      if (tag === SEQ_END && undefinedLength) {
        items.push([{ tag, vr: '', start: pos, value: pos + 8, length: 0, end: pos + 8 }])
        return items
      }
      if (tag !== ITEM) throw fail(this.p.file, `expected an item, found ${hex(tag)}`, pos)
      if (length === UNDEFINED) {
        const nodes = reader.dataset(pos + 8, end, depth + 1, undefined, true)
        items.push(nodes.slice(0, -1))
        pos = nodes.at(-1)!.end
      } else {
        if (pos + 8 + length > end) throw fail(this.p.file, `item claims ${length} bytes`, pos)
        items.push(reader.dataset(pos + 8, pos + 8 + length, depth + 1))
        pos += 8 + length
      }
    }
    return items
  }

  /** Skips encapsulated Pixel Data (offset table and fragments); returns the offset after it. */
  fragments(pos: number, end: number): number {
    for (;;) {
      if (pos + 8 > end) throw fail(this.p.file, 'encapsulated Pixel Data without its end', pos)
      const tag = this.tag(pos)
      const length = this.u32(pos + 4)
      if (tag === SEQ_END) return pos + 8
      if (tag !== ITEM || pos + 8 + length > end)
        throw fail(this.p.file, 'a Pixel Data fragment does not add up', pos)
      pos += 8 + length
    }
  }
}

/** (gggg,0010–00FF) in an odd group: a private creator, LO by definition (PS3.5 7.8.1). */
function isPrivateCreator(tag: number): boolean {
  const element = tag & 0xffff
  return (tag >>> 16) % 2 === 1 && element >= 0x10 && element <= 0xff
}

/** `(gggg,eeee)`. */
export function hex(tag: number): string {
  const h = tag.toString(16).padStart(8, '0').toUpperCase()
  return `(${h.slice(0, 4)},${h.slice(4)})`
}

function fail(
  file: string,
  reason: string,
  offset: number,
  cause?: unknown,
  code: ConnectorsErrorCode = 'DEID_UNREADABLE_FILE',
) {
  return new ConnectorsError(code, `${file}: cannot de-identify: ${reason} (byte ${offset}).`, {
    cause,
    details: { file, reason, offset },
  })
}

import { ReadFailure, tagName } from './unreadableAt.js'
import { type Encoding, UNDEFINED_LENGTH, VR_KIND, vrCode } from './vr.js'

/** Deepest sequence nesting read (dcmtk has no limit; the parsers behind this recurse). */
export const MAX_SEQUENCE_DEPTH = 64

/** What a walk found at the top level of the dataset. */
export type DatasetSummary = {
  /** Elements read, nested ones included. */
  elements: number
  /** Explicit-VR `UN` elements of undefined length (CP-246 sequences), nested ones included. */
  unSequences: number
  /** Where trailing zero padding after the last element starts, if there is any. */
  paddingAt?: number
  /** Top-level values of a few UI attributes (SOP Class and Instance UIDs), for a file meta header. */
  uids: { sopClassUid?: string; sopInstanceUid?: string }
  /** The top-level elements asked for (see {@link walkDataset}'s `wanted`), by their key. */
  top?: Record<string, TopElement>
}

/** Where a top-level element's value lies: its VR (explicit VR only), length and offset. */
export type TopElement = { vr: string | undefined; length: number; dataOffset: number }

const LATIN1 = new TextDecoder('latin1')
const ITEM = 0xe000
const ITEM_END = 0xe00d
const SEQUENCE_END = 0xe0dd
const IMPLICIT_LE: Encoding = { explicit: false, littleEndian: true }
const SQ = vrCode('SQ')
const UN = vrCode('UN')

/**
 * Walks a dataset's element structure from `start` to `end` without decoding values, the way
 * dcmtk reads it: explicit or implicit VR, either byte order; sequences and items of defined or
 * undefined length; an implicit-VR element of undefined length, and an explicit `UN` one (CP-246),
 * read as a sequence of implicit VR little endian items; encapsulated pixel data as fragments.
 * Every length is checked against the bytes that hold it.
 *
 * @param wanted - top-level tags (as `(group << 16 | element) >>> 0`) whose place to record in
 * `top`, under the key given (the last occurrence wins, as in dicom-parser).
 * @throws {ReadFailure} the first problem, with its byte offset.
 */
export function walkDataset(
  bytes: Uint8Array,
  start: number,
  end: number,
  encoding: Encoding,
  wanted?: ReadonlyMap<number, string>,
): DatasetSummary {
  const walker = new Walker(bytes, wanted)
  walker.dataset(start, end, 0, encoding, 'end')
  const summary: DatasetSummary = {
    elements: walker.elements,
    unSequences: walker.unSequences,
    uids: walker.uids,
  }
  if (walker.top) summary.top = walker.top
  if (walker.paddingAt !== undefined) summary.paddingAt = walker.paddingAt
  return summary
}

class Walker {
  private readonly view: DataView
  elements = 0
  unSequences = 0
  paddingAt: number | undefined
  uids: DatasetSummary['uids'] = {}
  readonly top: Record<string, TopElement> | undefined

  constructor(
    private readonly bytes: Uint8Array,
    private readonly wanted?: ReadonlyMap<number, string>,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (wanted) this.top = {}
  }

  private u16(pos: number, le: boolean) {
    return this.view.getUint16(pos, le)
  }
  private zeroFrom(pos: number, end: number): boolean {
    for (let i = pos; i < end; i++) if (this.bytes[i] !== 0) return false
    return true
  }
  private u32(pos: number, le: boolean) {
    return this.view.getUint32(pos, le)
  }

  /** A dataset (the top level or an item's) from `pos`; returns where it ends. */
  dataset(
    pos: number,
    end: number,
    depth: number,
    enc: Encoding,
    until: 'end' | 'delimiter',
  ): number {
    while (pos < end) {
      // trailing zero bytes after the last element: padding some writers add; dcmtk ignores it
      if (depth === 0 && this.elements > 0 && this.bytes[pos] === 0 && this.zeroFrom(pos, end)) {
        this.paddingAt = pos
        return end
      }
      if (end - pos < 8)
        throw new ReadFailure(
          `${end - pos} stray bytes where an element header (8 bytes or more) should start`,
          pos,
        )
      const group = this.u16(pos, enc.littleEndian)
      const element = this.u16(pos + 2, enc.littleEndian)
      if (group === 0xfffe) {
        if (element === ITEM_END) {
          if (until === 'delimiter') return pos + 8
          if (depth > 0) return end // a delimiter closing an item of defined length: dcmtk accepts it
        }
        throw new ReadFailure(
          `unexpected ${tagName(group, element)} ${depth ? 'inside an item' : 'in the dataset'}`,
          pos,
        )
      }
      pos = this.element(pos, end, depth, enc, group, element)
    }
    if (until === 'delimiter')
      throw new ReadFailure(
        'an item of undefined length ends without an item delimiter (FFFE,E00D)',
        end,
      )
    return pos
  }

  private element(
    pos: number,
    end: number,
    depth: number,
    enc: Encoding,
    group: number,
    element: number,
  ): number {
    const tag = ((group << 16) | element) >>> 0
    let vr = 0 // vrCode of an explicit VR, 0 in implicit VR (read as numbers: no string per element)
    let length: number
    let value: number
    if (enc.explicit) {
      vr = (this.bytes[pos + 4]! << 8) | this.bytes[pos + 5]!
      const kind = VR_KIND[vr]
      if (!kind)
        throw new ReadFailure(
          `element ${nameOf(tag)} has an unknown VR (bytes ${hex2(this.bytes, pos + 4)})`,
          pos + 4,
        )
      if (kind === 2) {
        if (end - pos < 12) throw new ReadFailure(`element ${nameOf(tag)} header is cut short`, pos)
        length = this.u32(pos + 8, enc.littleEndian)
        value = pos + 12
      } else {
        length = this.u16(pos + 6, enc.littleEndian)
        value = pos + 8
      }
    } else {
      length = this.u32(pos + 4, enc.littleEndian)
      value = pos + 8
    }
    this.elements++
    const key = depth === 0 ? this.wanted?.get(tag) : undefined
    if (key !== undefined) this.top![key] = { vr: vrName(vr), length, dataOffset: value }
    if (length === UNDEFINED_LENGTH) {
      if (group === 0x7fe0 && element === 0x0010) return this.fragments(value, end, enc)
      if (!enc.explicit || vr === SQ) return this.items(value, end, depth, enc, true, tag)
      if (vr === UN) {
        this.unSequences++
        return this.items(value, end, depth, IMPLICIT_LE, true, tag)
      }
      throw new ReadFailure(
        `element ${nameOf(tag)} of VR ${vrName(vr)} has an undefined length (only SQ, UN and Pixel Data may)`,
        pos,
      )
    }
    if (length > end - value)
      throw new ReadFailure(
        `element ${nameOf(tag)} declares ${length} bytes but only ${Math.max(0, end - value)} remain in its ${depth ? 'item' : 'dataset'}`,
        pos,
      )
    if (vr === SQ) this.items(value, value + length, depth, enc, false, tag)
    else if (depth === 0 && group === 0x0008 && (element === 0x0016 || element === 0x0018)) {
      const uid = LATIN1.decode(this.bytes.subarray(value, value + length)).replace(/[\0 ]+$/, '')
      this.uids[element === 0x0016 ? 'sopClassUid' : 'sopInstanceUid'] = uid
    }
    return value + length
  }

  /** A sequence's items from `pos`: up to `end` (defined length) or its delimiter. */
  private items(
    pos: number,
    end: number,
    depth: number,
    enc: Encoding,
    undefinedLength: boolean,
    tag: number,
  ): number {
    if (depth + 1 > MAX_SEQUENCE_DEPTH)
      throw new ReadFailure(`sequences nested deeper than ${MAX_SEQUENCE_DEPTH}`, pos)
    for (;;) {
      if (!undefinedLength && pos === end) return pos
      if (end - pos < 8)
        throw new ReadFailure(
          undefinedLength
            ? `sequence ${nameOf(tag)} of undefined length ends without a sequence delimiter (FFFE,E0DD)`
            : `sequence ${nameOf(tag)} ends inside an item header`,
          pos,
        )
      const group = this.u16(pos, enc.littleEndian)
      const element = this.u16(pos + 2, enc.littleEndian)
      const length = this.u32(pos + 4, enc.littleEndian)
      if (group === 0xfffe && element === SEQUENCE_END) {
        if (undefinedLength) return pos + 8
        throw new ReadFailure(
          `sequence delimiter inside sequence ${nameOf(tag)} of defined length`,
          pos,
        )
      }
      if (group !== 0xfffe || element !== ITEM)
        throw new ReadFailure(
          `sequence ${nameOf(tag)} holds ${tagName(group, element)} where an item (FFFE,E000) should be`,
          pos,
        )
      if (length === UNDEFINED_LENGTH) pos = this.dataset(pos + 8, end, depth + 1, enc, 'delimiter')
      else {
        if (length > end - pos - 8)
          throw new ReadFailure(
            `an item of sequence ${nameOf(tag)} declares ${length} bytes but only ${end - pos - 8} remain`,
            pos,
          )
        this.dataset(pos + 8, pos + 8 + length, depth + 1, enc, 'end')
        pos += 8 + length
      }
    }
  }

  /** Encapsulated pixel data: items of defined length (the offset table, then fragments), then a delimiter. */
  private fragments(pos: number, end: number, enc: Encoding): number {
    for (;;) {
      if (end - pos < 8)
        throw new ReadFailure(
          'encapsulated Pixel Data ends without a sequence delimiter (FFFE,E0DD)',
          pos,
        )
      const group = this.u16(pos, enc.littleEndian)
      const element = this.u16(pos + 2, enc.littleEndian)
      const length = this.u32(pos + 4, enc.littleEndian)
      if (group === 0xfffe && element === SEQUENCE_END) return pos + 8
      if (group !== 0xfffe || element !== ITEM)
        throw new ReadFailure(
          `encapsulated Pixel Data holds ${tagName(group, element)} where a fragment item should be`,
          pos,
        )
      if (length > end - pos - 8)
        throw new ReadFailure(
          `a Pixel Data fragment declares ${length} bytes but only ${end - pos - 8} remain`,
          pos,
        )
      pos += 8 + length
    }
  }
}

function hex2(bytes: Uint8Array, pos: number): string {
  return `${bytes[pos]!.toString(16).padStart(2, '0')} ${bytes[pos + 1]!.toString(16).padStart(2, '0')}`
}

/** A {@link vrCode} as its two letters; undefined for 0 (implicit VR). */
function vrName(code: number): string | undefined {
  return code ? String.fromCharCode(code >> 8, code & 0xff) : undefined
}

function nameOf(tag: number): string {
  return tagName(tag >>> 16, tag & 0xffff)
}

import { ConnectorsError } from '../errors.js'
import { type DicomNode, LONG, type ParsedDicom } from './parseDataset.js'
import type { OutElement } from './walkDataset.js'

const ZERO_SIZE: Record<string, number> = {
  US: 2,
  SS: 2,
  UL: 4,
  SL: 4,
  FL: 4,
  AT: 4,
  FD: 8,
  SV: 8,
  UV: 8,
}
const UNDEFINED = 0xffffffff
const EXPLICIT_LE = '1.2.840.10008.1.2.1'
/** Runs of unchanged input at least this long (Pixel Data) are referenced, not copied. */
const BIG = 1 << 16

export type WriteOutputParameters = {
  /** The new Media Storage SOP Instance UID (0002,0003); undefined keeps the meta's. */
  mediaStorageSopInstanceUid: string | undefined
  file: string
}

/**
 * Writes the de-identified file: a zero preamble, the meta header (group length recomputed, Media
 * Storage SOP Instance UID replaced, explicit VR LE named for inflated input) and the data set in
 * the input's transfer syntax. Unchanged elements are copied from the input in runs (Pixel Data
 * included, byte for byte); sequences are written with undefined lengths. Long unchanged runs
 * (Pixel Data) are not copied: the file comes back as parts, views of the input among them.
 *
 * @returns the output's parts, in order (concatenated, they are the file).
 * @throws {ConnectorsError} `DEID_WRITE_FAILED` when a value does not fit its VR's length field.
 */
export function writeOutput(p: ParsedDicom, dataset: OutElement[], w: WriteOutputParameters) {
  // small enough for Node's buffer pool: a header is usually a few KiB; it grows when not
  const out = new Writer(p.bytes, 4000, w.file)
  out.zeros(128)
  out.buf.write('DICM', 128, 'latin1')
  out.pos = 132
  out.header(0x00020000, 'UL', 4)
  const lengthAt = out.pos
  out.zeros(4)
  for (const n of p.meta) {
    if (n.tag === 0x00020000) continue
    if (n.tag === 0x00020003 && w.mediaStorageSopInstanceUid !== undefined)
      out.strings(n.tag, 'UI', [w.mediaStorageSopInstanceUid])
    else if (n.tag === 0x00020010 && p.inflated) out.strings(n.tag, 'UI', [EXPLICIT_LE])
    else out.copy(n.start, n.end)
  }
  out.flush()
  out.buf.writeUInt32LE(out.pos - lengthAt - 4, lengthAt)
  out.explicit = p.explicit
  out.le = p.littleEndian
  out.elements(dataset)
  out.flush()
  out.parts.push(out.buf.subarray(out.segment, out.pos))
  return out.parts.filter((part) => part.length > 0)
}

class Writer {
  buf: Buffer
  pos = 0
  /** Finished parts of the output; the current one starts at `segment` in `buf`. */
  parts: Uint8Array[] = []
  segment = 0
  explicit = true
  le = true
  private from = -1
  private to = -1

  constructor(
    readonly src: Buffer,
    size: number,
    readonly file: string,
  ) {
    this.buf = Buffer.allocUnsafe(size)
  }

  ensure(n: number) {
    if (this.pos + n <= this.buf.length) return
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n))
    this.buf.copy(bigger, 0, 0, this.pos)
    this.buf = bigger
  }
  zeros(n: number) {
    this.ensure(n)
    this.buf.fill(0, this.pos, this.pos + n)
    this.pos += n
  }
  /** Copies input bytes, joining adjacent runs into one copy. */
  copy(start: number, end: number) {
    if (start === this.to) this.to = end
    else {
      this.flush()
      this.from = start
      this.to = end
    }
  }
  flush() {
    if (this.from < 0) return
    if (this.to - this.from >= BIG) {
      this.parts.push(
        this.buf.subarray(this.segment, this.pos),
        this.src.subarray(this.from, this.to),
      )
      this.segment = this.pos
    } else {
      this.ensure(this.to - this.from)
      this.pos += this.src.copy(this.buf, this.pos, this.from, this.to)
    }
    this.from = this.to = -1
  }
  u16(v: number) {
    if (this.le) this.buf.writeUInt16LE(v, this.pos)
    else this.buf.writeUInt16BE(v, this.pos)
    this.pos += 2
  }
  u32(v: number) {
    if (this.le) this.buf.writeUInt32LE(v, this.pos)
    else this.buf.writeUInt32BE(v, this.pos)
    this.pos += 4
  }
  header(tag: number, vr: string, length: number) {
    this.flush()
    this.ensure(12)
    this.u16(tag >>> 16)
    this.u16(tag & 0xffff)
    if (!this.explicit) return this.u32(length)
    this.buf.write(vr, this.pos, 'latin1')
    this.pos += 2
    if (LONG.has(vr)) {
      this.u16(0)
      this.u32(length)
    } else if (length > 0xffff && length !== UNDEFINED) {
      throw new ConnectorsError(
        'DEID_WRITE_FAILED',
        `${this.file}: cannot de-identify: a ${vr} value of ${length} bytes does not fit its length field.`,
        { details: { file: this.file, tag: tag.toString(16).padStart(8, '0'), vr, length } },
      )
    } else this.u16(length)
  }
  strings(tag: number, vr: string, values: string[]) {
    let s = values.join('\\')
    if (s.length % 2) s += vr === 'UI' ? '\0' : ' '
    this.header(tag, vr, s.length)
    this.ensure(s.length)
    this.pos += this.buf.write(s, this.pos, 'latin1')
  }
  elements(list: OutElement[]) {
    for (const e of list) this.element(e)
  }
  element(e: OutElement) {
    const vr = e.node?.vr === 'UN' ? 'UN' : e.vr
    switch (e.edit.kind) {
      case 'keep':
        return this.copy((e.node as DicomNode).start, (e.node as DicomNode).end)
      case 'strings':
        return this.strings(e.tag, vr, e.edit.values)
      case 'empty':
        return this.header(e.tag, vr, 0)
      case 'zero': {
        const n = ZERO_SIZE[e.vr] ?? 0
        this.header(e.tag, vr, n)
        return this.zeros(n)
      }
      case 'recurse':
        return this.sequence(e)
      case 'remove':
        return
    }
  }
  sequence(e: OutElement) {
    this.header(e.tag, 'SQ', UNDEFINED)
    for (const item of e.items ?? []) {
      this.ensure(8)
      this.u16(0xfffe)
      this.u16(0xe000)
      this.u32(UNDEFINED)
      this.elements(item)
      this.flush()
      this.ensure(16)
      this.u16(0xfffe)
      this.u16(0xe00d)
      this.u32(0)
    }
    this.ensure(8)
    this.u16(0xfffe)
    this.u16(0xe0dd)
    this.u32(0)
  }
}

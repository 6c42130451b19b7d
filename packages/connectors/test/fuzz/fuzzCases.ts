/// <reference path="../../src/types/dcmjs.d.ts" />

import { deflateRawSync } from 'node:zlib'
import { transcodeDicom } from '@btt/compute'
import { cp246File, writeDicom } from '@btt/compute/testing'
import dcmjs from 'dcmjs'

// Seeds and mutations for the DICOM readers' fuzz: fuzzWorker.ts runs them in a child process
// that fuzz-readers.test.ts watches, so that a case that never ends is caught and named.

/** A valid file to mutate, and where its element headers lie. */
export type Seed = { name: string; bytes: Uint8Array; explicit: boolean; headers: Header[] }
/** Where an element's header lies: its tag, VR (explicit) and length field. */
type Header = { at: number; vrAt: number | undefined; lengthAt: number; lengthSize: 2 | 4 }

/**
 * Valid files: explicit VR, implicit with nested private sequences (0001), big endian, no meta,
 * RLE, private UN sequences of undefined length (CP-246), deflated.
 */
export async function fuzzSeeds(): Promise<Seed[]> {
  const base = writeDicom({
    frames: [new Uint16Array(64).map((_, i) => i * 17)],
    rows: 8,
    columns: 8,
    modality: 'CT',
    sopInstanceUid: '1.2.3.4.5',
    extra: {
      ReferencedImageSequence: [
        { ReferencedSOPClassUID: '1.2.3', ReferencedSOPInstanceUID: '1.2.3.4' },
      ],
      ImageComments: 'fuzz seed',
    },
  })
  const implicit = rewrite(base, '1.2.840.10008.1.2')
  const withPrivate = spliceAfterMeta(implicit, privateSequences())
  const seeds: Seed[] = []
  const add = (name: string, bytes: Uint8Array, explicit: boolean) =>
    seeds.push({ name, bytes, explicit, headers: headersOf(bytes, explicit) })
  add('explicit', base, true)
  add('implicit+private', withPrivate, false)
  add('big-endian', rewrite(base, '1.2.840.10008.1.2.2'), true)
  add('no-meta', withPrivate.subarray(metaEnd(withPrivate)), false)
  add('rle', await transcodeDicom(base, '1.2.840.10008.1.2.5'), true)
  add('un-sequences', cp246File('1.2.3.4.6'), true)
  add('deflated', deflated(base), true)
  return seeds
}

/** One mutation of a seed: byte flips, a truncation, a length field, a VR, or a chunk spliced in. */
export function mutate(seed: Seed, random: () => number): { bytes: Uint8Array; what: string } {
  const bytes = seed.bytes.slice()
  const int = (n: number) => Math.floor(random() * n)
  const header = seed.headers[int(seed.headers.length)]!
  const view = new DataView(bytes.buffer)
  switch (int(5)) {
    case 0: {
      const n = 1 + int(8)
      for (let k = 0; k < n; k++) bytes[int(bytes.length)] = int(256)
      return { bytes, what: `${n} byte flips` }
    }
    case 1: {
      const at = int(bytes.length)
      return { bytes: bytes.subarray(0, at), what: `truncated at ${at}` }
    }
    case 2: {
      const values = [
        0,
        1,
        3,
        0xff,
        0xffff,
        0xfffe,
        0x7fffffff,
        0xffffffff,
        0xfffffffe,
        int(1 << 20),
      ]
      const value = values[int(values.length)]! >>> 0
      if (header.lengthSize === 2)
        view.setUint16(header.lengthAt, value & 0xffff, seed.name !== 'big-endian')
      else view.setUint32(header.lengthAt, value, seed.name !== 'big-endian')
      return { bytes, what: `length at ${header.lengthAt} set to ${value}` }
    }
    case 3: {
      const vrs = ['SQ', 'UN', 'OB', 'OW', 'UT', 'LO', 'US', 'FD', 'AT', 'XX', '\0\0', 'sq']
      const vr = vrs[int(vrs.length)]!
      const at = header.vrAt ?? header.at + 4
      bytes[at] = vr.charCodeAt(0)
      bytes[at + 1] = vr.charCodeAt(1)
      return { bytes, what: `VR at ${at} set to ${JSON.stringify(vr)}` }
    }
    default: {
      const from = int(bytes.length)
      const length = 1 + int(64)
      const to = int(bytes.length)
      const chunk = seed.bytes.subarray(from, from + length)
      const out = new Uint8Array(bytes.length + chunk.length)
      out.set(bytes.subarray(0, to))
      out.set(chunk, to)
      out.set(bytes.subarray(to), to + chunk.length)
      return { bytes: out, what: `${chunk.length} bytes from ${from} spliced in at ${to}` }
    }
  }
}

/** The element headers of a valid file, nested ones included (found with dcmjs-free arithmetic). */
function headersOf(bytes: Uint8Array, explicit: boolean): Header[] {
  const headers: Header[] = []
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const long = new Set([
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
  const part10 = bytes.length > 132 && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM'
  let pos = part10 ? 132 : 0
  const le = !(view.getUint16(part10 ? metaEnd(bytes) : 0, true) === 0x0800)
  while (pos + 8 <= bytes.length) {
    const inMeta = view.getUint16(pos, true) === 2
    const littleEndian = inMeta || le
    const group = view.getUint16(pos, littleEndian)
    const vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!)
    if (group === 0xfffe) {
      headers.push({ at: pos, vrAt: undefined, lengthAt: pos + 4, lengthSize: 4 })
      pos += 8 // items and delimiters: step inside
      continue
    }
    const ex = inMeta || explicit
    const isLong = ex && long.has(vr)
    const lengthAt = ex ? (isLong ? pos + 8 : pos + 6) : pos + 4
    const lengthSize = ex && !isLong ? 2 : 4
    headers.push({ at: pos, vrAt: ex ? pos + 4 : undefined, lengthAt, lengthSize })
    const length =
      lengthSize === 2
        ? view.getUint16(lengthAt, littleEndian)
        : view.getUint32(lengthAt, littleEndian)
    const value = lengthAt + lengthSize
    const sequence = length === 0xffffffff || vr === 'SQ'
    pos = sequence ? value : value + length
  }
  return headers
}

function rewrite(bytes: Uint8Array, transferSyntaxUid: string): Uint8Array {
  const dict = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  )
  ;(dict.meta as Record<string, unknown>)['00020010'] = { vr: 'UI', Value: [transferSyntaxUid] }
  return new Uint8Array(dict.write())
}

function metaEnd(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let pos = 132
  while (view.getUint16(pos, true) === 2) {
    const vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!)
    pos +=
      vr === 'OB' || vr === 'UN'
        ? 12 + view.getUint32(pos + 8, true)
        : 8 + view.getUint16(pos + 6, true)
  }
  return pos
}

function spliceAfterMeta(bytes: Uint8Array, insert: Uint8Array): Uint8Array {
  const at = metaEnd(bytes)
  const out = new Uint8Array(bytes.length + insert.length)
  out.set(bytes.subarray(0, at))
  out.set(insert, at)
  out.set(bytes.subarray(at), at + insert.length)
  return out
}

/** (0001,0010) creator and (0001,1001) holding (0001,1002), both undefined length, implicit VR LE. */
function privateSequences(): Uint8Array {
  const el = (g: number, e: number, value: number[], length = value.length) => {
    const b = new Uint8Array(8 + value.length)
    const v = new DataView(b.buffer)
    v.setUint16(0, g, true)
    v.setUint16(2, e, true)
    v.setUint32(4, length, true)
    b.set(value, 8)
    return [...b]
  }
  const text = (s: string) => [...s].map((c) => c.charCodeAt(0))
  const U = 0xffffffff
  return Uint8Array.from([
    ...el(0x0001, 0x0010, text('FUZZ CREATOR')),
    ...el(0x0001, 0x1001, [], U),
    ...el(0xfffe, 0xe000, [], U),
    ...el(0x0001, 0x1002, [], U),
    ...el(0xfffe, 0xe000, [], U),
    ...el(0x0010, 0x0010, text('Inner^Name')),
    ...el(0xfffe, 0xe00d, []),
    ...el(0xfffe, 0xe0dd, []),
    ...el(0xfffe, 0xe00d, []),
    ...el(0xfffe, 0xe0dd, []),
  ])
}

/** The explicit VR file with its dataset deflated and its meta saying so. */
export function deflated(explicit: Uint8Array): Uint8Array {
  const end = metaEnd(explicit)
  const meta = Buffer.from(explicit.subarray(0, end))
  const at = meta.indexOf(Buffer.from([0x02, 0, 0x10, 0, 0x55, 0x49])) // (0002,0010) UI
  const uid = Buffer.from('1.2.840.10008.1.2.1.99')
  const oldLength = meta.readUInt16LE(at + 6)
  const header = Buffer.from(meta.subarray(at, at + 8))
  header.writeUInt16LE(uid.length, 6)
  const out = Buffer.concat([
    meta.subarray(0, at),
    header,
    uid,
    meta.subarray(at + 8 + oldLength),
    deflateRawSync(explicit.subarray(end)),
  ])
  out.writeUInt32LE(out.readUInt32LE(140) + uid.length - oldLength, 140) // (0002,0000) group length
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

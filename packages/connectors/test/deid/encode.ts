// A small, plain DICOM encoder for de-identification fixtures: any tag, any VR, sequences to any
// depth, explicit or implicit VR little endian, defined or undefined lengths. Written for the
// tests, independent of the code under test.

export type FixtureElement = {
  tag: number
  vr: string
  /** Text (VR-padded), raw bytes, or items of a sequence. */
  value: string | Uint8Array | FixtureElement[][]
}

const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'])

export type EncodeOptions = { explicit: boolean; undefinedLengths?: boolean }

/** A Part 10 file: preamble, meta header (explicit VR LE) and the data set. */
export function part10(
  dataset: FixtureElement[],
  o: EncodeOptions & { sopInstanceUid: string; sopClassUid?: string },
): Uint8Array {
  const ts = o.explicit ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2'
  const metaBody = encode(
    [
      { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
      { tag: 0x00020002, vr: 'UI', value: o.sopClassUid ?? '1.2.840.10008.5.1.4.1.1.7' },
      { tag: 0x00020003, vr: 'UI', value: o.sopInstanceUid },
      { tag: 0x00020010, vr: 'UI', value: ts },
      { tag: 0x00020012, vr: 'UI', value: '1.2.826.0.1.3680043.10.1398.1' },
    ],
    { explicit: true },
  )
  const groupLength = new Uint8Array(12)
  const dv = new DataView(groupLength.buffer)
  dv.setUint16(0, 2, true)
  groupLength.set([0x55, 0x4c], 4) // UL
  dv.setUint16(6, 4, true)
  dv.setUint32(8, metaBody.length, true)
  const body = encode(dataset, o)
  const out = new Uint8Array(132 + 12 + metaBody.length + body.length)
  out.set(new TextEncoder().encode('DICM'), 128)
  out.set(groupLength, 132)
  out.set(metaBody, 144)
  out.set(body, 144 + metaBody.length)
  return out
}

/** Encodes elements (sorted by tag) in explicit or implicit VR little endian. */
export function encode(elements: FixtureElement[], o: EncodeOptions): Uint8Array {
  const chunks: Uint8Array[] = []
  for (const e of [...elements].sort((a, b) => a.tag - b.tag)) chunks.push(element(e, o))
  return concat(chunks)
}

function element(e: FixtureElement, o: EncodeOptions): Uint8Array {
  let value: Uint8Array
  let undefinedLength = false
  if (Array.isArray(e.value)) {
    undefinedLength = o.undefinedLengths ?? false
    value = concat(e.value.map((item) => itemBytes(item, o, undefinedLength)))
    if (undefinedLength) value = concat([value, tagged(0xfffee0dd, 0)])
  } else if (typeof e.value === 'string') {
    let s = e.value
    if (s.length % 2) s += e.vr === 'UI' ? '\0' : ' '
    value = Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)
  } else value = e.value
  const length = undefinedLength ? 0xffffffff : value.length
  let header: Uint8Array
  if (!o.explicit) header = tagged(e.tag, length)
  else if (LONG.has(e.vr)) {
    header = new Uint8Array(12)
    const dv = new DataView(header.buffer)
    dv.setUint16(0, e.tag >>> 16, true)
    dv.setUint16(2, e.tag & 0xffff, true)
    header.set([e.vr.charCodeAt(0), e.vr.charCodeAt(1)], 4)
    dv.setUint32(8, length, true)
  } else {
    header = new Uint8Array(8)
    const dv = new DataView(header.buffer)
    dv.setUint16(0, e.tag >>> 16, true)
    dv.setUint16(2, e.tag & 0xffff, true)
    header.set([e.vr.charCodeAt(0), e.vr.charCodeAt(1)], 4)
    dv.setUint16(6, length, true)
  }
  return concat([header, value])
}

function itemBytes(item: FixtureElement[], o: EncodeOptions, undefinedLength: boolean) {
  const body = encode(item, o)
  if (!undefinedLength) return concat([tagged(0xfffee000, body.length), body])
  return concat([tagged(0xfffee000, 0xffffffff), body, tagged(0xfffee00d, 0)])
}

function tagged(tag: number, length: number): Uint8Array {
  const b = new Uint8Array(8)
  const dv = new DataView(b.buffer)
  dv.setUint16(0, tag >>> 16, true)
  dv.setUint16(2, tag & 0xffff, true)
  dv.setUint32(4, length, true)
  return b
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1398.1'
const IMPLEMENTATION_VERSION_NAME = 'BTT-SDK'

/** What a file meta header built for a bare dataset says. */
export type FileMetaValues = {
  transferSyntaxUid: string
  sopClassUid?: string | undefined
  sopInstanceUid?: string | undefined
}

/**
 * A 128-byte zero preamble, "DICM" and a file meta header (PS3.10 7.1, explicit VR little
 * endian, with its group length) for a dataset stored without one.
 */
export function buildFileMeta(values: FileMetaValues): Uint8Array {
  const elements: Uint8Array[] = [
    element(0x0001, 'OB', Uint8Array.of(0, 1)),
    ...(values.sopClassUid ? [element(0x0002, 'UI', text(values.sopClassUid, 0))] : []),
    ...(values.sopInstanceUid ? [element(0x0003, 'UI', text(values.sopInstanceUid, 0))] : []),
    element(0x0010, 'UI', text(values.transferSyntaxUid, 0)),
    element(0x0012, 'UI', text(IMPLEMENTATION_CLASS_UID, 0)),
    element(0x0013, 'SH', text(IMPLEMENTATION_VERSION_NAME, 0x20)),
  ]
  const groupLength = elements.reduce((n, e) => n + e.byteLength, 0)
  const length = new Uint8Array(4)
  new DataView(length.buffer).setUint32(0, groupLength, true)
  const all = [element(0x0000, 'UL', length), ...elements]
  const out = new Uint8Array(132 + all.reduce((n, e) => n + e.byteLength, 0))
  out.set([0x44, 0x49, 0x43, 0x4d], 128)
  let at = 132
  for (const e of all) {
    out.set(e, at)
    at += e.byteLength
  }
  return out
}

/**
 * A 128-byte zero preamble, "DICM" and a File Meta Information Group Length (0002,0000) of
 * `length`: what goes before a meta header's other elements when they are kept as they are.
 */
export function preambleAndGroupLength(length: number): Uint8Array {
  const value = new Uint8Array(4)
  new DataView(value.buffer).setUint32(0, length, true)
  const out = new Uint8Array(132 + 12)
  out.set([0x44, 0x49, 0x43, 0x4d], 128)
  out.set(element(0x0000, 'UL', value), 132)
  return out
}

function text(value: string, pad: number): Uint8Array {
  const bytes = new Uint8Array(value.length + (value.length % 2))
  for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i) & 0xff
  if (value.length % 2) bytes[value.length] = pad
  return bytes
}

function element(number: number, vr: string, value: Uint8Array): Uint8Array {
  const long = vr === 'OB'
  const out = new Uint8Array((long ? 12 : 8) + value.byteLength)
  const view = new DataView(out.buffer)
  view.setUint16(0, 0x0002, true)
  view.setUint16(2, number, true)
  out[4] = vr.charCodeAt(0)
  out[5] = vr.charCodeAt(1)
  if (long) view.setUint32(8, value.byteLength, true)
  else view.setUint16(6, value.byteLength, true)
  out.set(value, long ? 12 : 8)
  return out
}

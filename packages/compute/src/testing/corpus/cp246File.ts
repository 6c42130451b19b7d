import { buildFileMeta } from '../../dicom/part10/buildFileMeta.js'

/**
 * An explicit VR little endian file whose private sequences are stored as `UN` of undefined
 * length, as a writer without the private dictionary stores what it read in implicit VR: the
 * items inside are implicit VR little endian (CP-246), one of them holding another private
 * sequence of undefined length. dcmtk reads them as sequences.
 */
export function cp246File(sopInstanceUid: string): Uint8Array {
  const bytes: number[] = []
  const u16 = (n: number) => bytes.push(n & 0xff, n >> 8)
  const u32 = (n: number) => {
    u16(n & 0xffff)
    u16(n >>> 16)
  }
  const text = (s: string, pad: number) =>
    [...(s.length % 2 ? s + String.fromCharCode(pad) : s)].map((c) => c.charCodeAt(0))
  const explicit = (g: number, e: number, vr: string, value: string, pad = 0x20) => {
    const v = text(value, pad)
    u16(g)
    u16(e)
    bytes.push(vr.charCodeAt(0), vr.charCodeAt(1))
    u16(v.length)
    bytes.push(...v)
  }
  const implicit = (g: number, e: number, value: string) => {
    const v = text(value, 0x20)
    u16(g)
    u16(e)
    u32(v.length)
    bytes.push(...v)
  }
  const open = (g: number, e: number) => {
    u16(g)
    u16(e)
    u32(0xffffffff)
  }
  explicit(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.7', 0)
  explicit(0x0008, 0x0018, 'UI', sopInstanceUid, 0)
  explicit(0x0009, 0x0010, 'LO', 'ACME MEDICAL 1.0')
  u16(0x0009)
  u16(0x1001)
  bytes.push(0x55, 0x4e, 0, 0) // UN
  u32(0xffffffff)
  open(0xfffe, 0xe000)
  implicit(0x0008, 0x0104, 'in a UN sequence')
  implicit(0x0009, 0x0010, 'ACME MEDICAL 1.0')
  open(0x0009, 0x1002) // implicit VR, undefined length: a sequence
  open(0xfffe, 0xe000)
  implicit(0x0010, 0x0010, 'Inner^Name')
  open(0xfffe, 0xe00d)
  bytes.splice(-4, 4, 0, 0, 0, 0)
  open(0xfffe, 0xe0dd)
  bytes.splice(-4, 4, 0, 0, 0, 0)
  open(0xfffe, 0xe00d)
  bytes.splice(-4, 4, 0, 0, 0, 0)
  open(0xfffe, 0xe0dd)
  bytes.splice(-4, 4, 0, 0, 0, 0)
  explicit(0x0010, 0x0010, 'PN', 'Doe^Jane')
  explicit(0x0010, 0x0020, 'LO', 'PID-0003')
  const meta = buildFileMeta({
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
    sopInstanceUid,
  })
  const out = new Uint8Array(meta.byteLength + bytes.length)
  out.set(meta)
  out.set(bytes, meta.byteLength)
  return out
}

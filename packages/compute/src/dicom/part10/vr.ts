/** Value representations PS3.5 Table 6.2-1 defines (2024), as two-letter strings. */
export const KNOWN_VRS: ReadonlySet<string> = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(
    ' ',
  ),
)

/** VRs whose explicit-VR header has 2 reserved bytes and a 4-byte length (PS3.5 7.1.2). */
export const LONG_HEADER_VRS: ReadonlySet<string> = new Set(
  'OB OD OF OL OV OW SQ SV UC UN UR UT UV'.split(' '),
)

/** A VR's two bytes as one number (first byte high), e.g. `vrCode('SQ')`. */
export function vrCode(vr: string): number {
  return (vr.charCodeAt(0) << 8) | vr.charCodeAt(1)
}

/** By {@link vrCode}: 0 not a known VR, 1 a known VR, 2 a known VR with the long header. */
export const VR_KIND: Uint8Array = new Uint8Array(65_536)
for (const vr of KNOWN_VRS) VR_KIND[vrCode(vr)] = LONG_HEADER_VRS.has(vr) ? 2 : 1

/** The undefined length, 0xFFFFFFFF. */
export const UNDEFINED_LENGTH = 0xffffffff

export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2'
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99'
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2'

/** How a dataset is encoded: the VR explicit or not, and the byte order. */
export type Encoding = { explicit: boolean; littleEndian: boolean }

/** The encoding of a transfer syntax's dataset (every syntax but two is explicit little endian). */
export function encodingOf(transferSyntaxUid: string): Encoding {
  if (transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN)
    return { explicit: false, littleEndian: true }
  if (transferSyntaxUid === EXPLICIT_VR_BIG_ENDIAN) return { explicit: true, littleEndian: false }
  return { explicit: true, littleEndian: true }
}

/** The uncompressed transfer syntax with this encoding. */
export function transferSyntaxOf(encoding: Encoding): string {
  if (!encoding.explicit) return IMPLICIT_VR_LITTLE_ENDIAN
  return encoding.littleEndian ? EXPLICIT_VR_LITTLE_ENDIAN : EXPLICIT_VR_BIG_ENDIAN
}

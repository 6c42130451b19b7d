import { RETIRED_STORAGE_SOP_CLASSES, STORAGE_SOP_CLASSES } from './storageSopClasses.js'

/** Verification SOP Class (C-ECHO), PS3.4 Annex A. */
export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1'

/**
 * The transfer syntaxes the C-STORE SCP accepts, in the order it prefers them when a presentation
 * context offers several: each instance is spooled in the syntax it came in (no transcoding), so
 * these are the syntaxes whose data set dcmjs-dimse reads and writes back — the native ones and
 * every encapsulated one (the Pixel Data fragments are kept as they are). UIDs and names as in
 * PS3.6 2024b Table A-1. Left out: Deflated Explicit VR Little Endian (dcmjs-dimse reads the
 * deflated bytes as if they were not: every instance would be refused), the retired JPEG
 * processes other than 2/4 and 14, JPIP (Pixel Data by reference) and the SMPTE ST 2110 syntaxes
 * of real-time video, which are not stored.
 */
export const ACCEPTED_TRANSFER_SYNTAXES: readonly (readonly [uid: string, name: string])[] = [
  ['1.2.840.10008.1.2.1', 'Explicit VR Little Endian'],
  ['1.2.840.10008.1.2', 'Implicit VR Little Endian'],
  ['1.2.840.10008.1.2.2', 'Explicit VR Big Endian (Retired)'],
  ['1.2.840.10008.1.2.1.98', 'Encapsulated Uncompressed Explicit VR Little Endian'],
  ['1.2.840.10008.1.2.5', 'RLE Lossless'],
  ['1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)'],
  ['1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)'],
  ['1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)'],
  ['1.2.840.10008.1.2.4.70', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (SV1)'],
  ['1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless Image Compression'],
  ['1.2.840.10008.1.2.4.81', 'JPEG-LS Lossy (Near-Lossless) Image Compression'],
  ['1.2.840.10008.1.2.4.90', 'JPEG 2000 Image Compression (Lossless Only)'],
  ['1.2.840.10008.1.2.4.91', 'JPEG 2000 Image Compression'],
  ['1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)'],
  ['1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2 Multi-component Image Compression'],
  ['1.2.840.10008.1.2.4.100', 'MPEG2 Main Profile / Main Level'],
  ['1.2.840.10008.1.2.4.101', 'MPEG2 Main Profile / High Level'],
  ['1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 High Profile / Level 4.1'],
  ['1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1'],
  ['1.2.840.10008.1.2.4.104', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video'],
  ['1.2.840.10008.1.2.4.105', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video'],
  ['1.2.840.10008.1.2.4.106', 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2'],
  ['1.2.840.10008.1.2.4.107', 'HEVC/H.265 Main Profile / Level 5.1'],
  ['1.2.840.10008.1.2.4.108', 'HEVC/H.265 Main 10 Profile / Level 5.1'],
  ['1.2.840.10008.1.2.4.110', 'JPEG XL Lossless'],
  ['1.2.840.10008.1.2.4.111', 'JPEG XL JPEG Recompression'],
  ['1.2.840.10008.1.2.4.112', 'JPEG XL'],
  ['1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 Image Compression (Lossless Only)'],
  ['1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)'],
  ['1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000 Image Compression'],
]

const ABSTRACT = new Set([
  VERIFICATION_SOP_CLASS,
  ...STORAGE_SOP_CLASSES.map(([uid]) => uid),
  ...RETIRED_STORAGE_SOP_CLASSES.map(([uid]) => uid),
])
const PREFERENCE = ACCEPTED_TRANSFER_SYNTAXES.map(([uid]) => uid)

/** What the SCP answers one presentation context (PS3.8 9.3.3.2, Result/Reason). */
export type PresentationContextAnswer =
  | { result: 'accept'; transferSyntax: string }
  | { result: 'abstract-syntax-not-supported' }
  | { result: 'transfer-syntaxes-not-supported' }

/**
 * The C-STORE SCP's answer to one proposed presentation context: Verification and every Storage
 * SOP Class of PS3.4 Table B.5-1 (`STORAGE_SOP_CLASSES`, plus the retired image classes archives
 * still send) are accepted in the first of `ACCEPTED_TRANSFER_SYNTAXES` that the peer offers;
 * any other abstract syntax (a private or unknown class, a query/retrieve or print class) is
 * refused as not supported (result 3), and a storage class offered in no syntax we keep as not
 * supported in those syntaxes (result 4). The association goes on with the contexts accepted.
 *
 * @param abstractSyntax - the SOP Class UID proposed.
 * @param offered - the transfer syntax UIDs proposed for it.
 * @returns accept with the chosen syntax, or the reason for refusing.
 * @example
 * ```ts
 * negotiatePresentationContext('1.2.840.10008.5.1.4.1.1.66.4', ['1.2.840.10008.1.2.1'])
 * // { result: 'accept', transferSyntax: '1.2.840.10008.1.2.1' }
 * ```
 */
export function negotiatePresentationContext(
  abstractSyntax: string,
  offered: readonly string[],
): PresentationContextAnswer {
  const uid = abstractSyntax.trim().replace(/\0+$/, '')
  if (!ABSTRACT.has(uid)) return { result: 'abstract-syntax-not-supported' }
  const offers = new Set(offered.map((ts) => ts.trim().replace(/\0+$/, '')))
  const chosen = PREFERENCE.find((ts) => offers.has(ts))
  return chosen
    ? { result: 'accept', transferSyntax: chosen }
    : { result: 'transfer-syntaxes-not-supported' }
}

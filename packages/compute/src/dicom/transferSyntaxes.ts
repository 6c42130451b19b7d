/** Native (uncompressed) transfer syntaxes: implicit/explicit VR little endian, explicit big endian. */
export const NATIVE_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.2',
])

/** Compressed transfer syntaxes decoded by transcoding to explicit VR little endian first. */
export const COMPRESSED_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([
  '1.2.840.10008.1.2.5', // RLE lossless
  '1.2.840.10008.1.2.4.50', // JPEG baseline
  '1.2.840.10008.1.2.4.57', // JPEG lossless
  '1.2.840.10008.1.2.4.70', // JPEG lossless SV1
  '1.2.840.10008.1.2.4.80', // JPEG-LS lossless
  '1.2.840.10008.1.2.4.81', // JPEG-LS near-lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 lossless
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.4.110', // JPEG XL lossless
  '1.2.840.10008.1.2.4.112', // JPEG XL
  '1.2.840.10008.1.2.4.201', // HTJ2K lossless
  '1.2.840.10008.1.2.4.202', // HTJ2K lossless RPCL
  '1.2.840.10008.1.2.4.203', // HTJ2K
])

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'

/** Transfer syntaxes `decodeDicom` can read. */
export const supportedTransferSyntaxes: readonly string[] = [
  ...NATIVE_TRANSFER_SYNTAXES,
  '1.2.840.10008.1.2.1.99', // deflated explicit VR little endian: inflated first (inflatePart10)
  ...COMPRESSED_TRANSFER_SYNTAXES,
]

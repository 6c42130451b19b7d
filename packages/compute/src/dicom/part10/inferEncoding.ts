/// <reference path="../../types/dcmjs.d.ts" />
import dcmjs from 'dcmjs'
import { ReadFailure } from './unreadableAt.js'
import { type Encoding, KNOWN_VRS } from './vr.js'

const dictionary = (
  dcmjs.data.DicomMetaDictionary as unknown as { dictionary: Record<string, unknown> }
).dictionary

function known(group: number, element: number): boolean {
  const hex = (n: number) => n.toString(16).padStart(4, '0').toUpperCase()
  return dictionary[`(${hex(group)},${hex(element)})`] !== undefined
}

/**
 * The encoding of a dataset stored without a file meta header, inferred from its first element
 * as dcmtk's `DcmItem::checkTransferSyntax` does: the VR is explicit when bytes 4–5 spell a VR;
 * the byte order is the one under which the first tag is in the data dictionary, and when both or
 * neither are, the one whose group number is small (≤ 0x00FF), little endian by default.
 *
 * @param bytes - the file.
 * @param offset - where the dataset starts.
 * @throws {ReadFailure} when fewer than 8 bytes remain or the guess is implicit VR big endian.
 */
export function inferEncoding(bytes: Uint8Array, offset: number): Encoding {
  if (bytes.byteLength - offset < 8)
    throw new ReadFailure(
      `only ${bytes.byteLength - offset} bytes: too short for a DICOM dataset`,
      offset,
    )
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8)
  const le = [view.getUint16(0, true), view.getUint16(2, true)] as const
  const be = [view.getUint16(0, false), view.getUint16(2, false)] as const
  const explicit = KNOWN_VRS.has(String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!))
  const knownLe = known(...le)
  const knownBe = known(...be)
  const littleEndian = knownLe !== knownBe ? knownLe : !(le[0] > 0xff && be[0] <= 0xff)
  if (!explicit && !littleEndian)
    throw new ReadFailure(
      'no file meta header, and the first element reads as implicit VR big endian, which is no DICOM transfer syntax',
      offset,
    )
  return { explicit, littleEndian }
}

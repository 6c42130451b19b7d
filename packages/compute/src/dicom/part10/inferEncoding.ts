import { ReadFailure } from './unreadableAt.js'
import { type Encoding, KNOWN_VRS } from './vr.js'

/** Groups PS3.6 defines elements in (repeating groups by their base), file meta and items included. */
const STANDARD_GROUPS: ReadonlySet<number> = new Set([
  0x0002, 0x0004, 0x0008, 0x0010, 0x0012, 0x0014, 0x0018, 0x0020, 0x0022, 0x0024, 0x0028, 0x0032,
  0x0034, 0x0038, 0x003a, 0x0040, 0x0042, 0x0044, 0x0046, 0x0048, 0x0050, 0x0052, 0x0054, 0x0060,
  0x0062, 0x0064, 0x0066, 0x0068, 0x006a, 0x0070, 0x0072, 0x0074, 0x0076, 0x0078, 0x0080, 0x0082,
  0x0088, 0x0100, 0x0400, 0x2000, 0x2010, 0x2020, 0x2030, 0x2040, 0x2050, 0x2100, 0x2110, 0x2120,
  0x2130, 0x2200, 0x3002, 0x3004, 0x3006, 0x3008, 0x300a, 0x300c, 0x300e, 0x4000, 0x4008, 0x4010,
  0x4ffe, 0x5000, 0x5200, 0x5400, 0x5600, 0x6000, 0x7fe0, 0xfffa, 0xfffc, 0xfffe,
])

/** A tag in a group the standard defines (repeating groups 50xx and 60xx by their base). */
function known(group: number): boolean {
  const high = group & 0xff00
  const repeating =
    (high === 0x5000 || high === 0x6000) && (group & 0xff) <= 0x1e && group % 2 === 0
  return STANDARD_GROUPS.has(repeating ? high : group)
}

/**
 * The encoding of a dataset stored without a file meta header, inferred from its first element
 * as dcmtk's `DcmItem::checkTransferSyntax` does: the VR is explicit when bytes 4–5 spell a VR;
 * the byte order is the one that reads the first group as small (≤ 0x00FF: where a dataset's
 * first elements live, private groups 0001 and 0009 included); when both or neither do, the one
 * under which the group is a standard one (dcmtk asks its data dictionary; here, a group PS3.6
 * defines), little endian by default.
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
  const smallLe = le[0] <= 0xff
  const knownLe = known(le[0])
  const knownBe = known(be[0])
  const littleEndian = smallLe !== be[0] <= 0xff ? smallLe : knownLe !== knownBe ? knownLe : true
  if (!explicit && !littleEndian)
    throw new ReadFailure(
      'no file meta header, and the first element reads as implicit VR big endian, which is no DICOM transfer syntax',
      offset,
    )
  return { explicit, littleEndian }
}

import { inflatePart10 } from './inflatePart10.js'
import { readPart10 } from './toPart10.js'
import { unSequencesAsSq } from './unSequencesAsSq.js'
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, type Encoding } from './vr.js'
import type { TopElement } from './walkDataset.js'

/** A file as the parsers read it; `top` and `encoding` when the file is read as it is walked. */
export type ReadAsDcmtk = {
  bytes: Uint8Array
  transferSyntaxUid: string
  /** The top-level elements asked for, their offsets in `bytes` (not deflated, no CP-246 `UN`). */
  top?: Record<string, TopElement>
  encoding?: Encoding
}

/**
 * The steps that make a file dcmtk reads readable by dicom-parser and dcmjs, each only when it
 * has something to do: {@link toPart10} (structure walked, meta header added or completed,
 * trailing padding left out), {@link inflatePart10} for a deflated dataset, and
 * {@link unSequencesAsSq} for CP-246 `UN` sequences.
 *
 * @param bytes - the file (not changed).
 * @param file - a name for messages.
 * @param wanted - top-level tags whose places to return when the bytes are the walked ones.
 * @returns a Part 10 file in a transfer syntax dicom-parser and dcmjs read.
 * @throws {ComputeError} `COMPUTE_UNREADABLE_DICOM` with the reason and the byte offset.
 */
export async function readAsDcmtk(
  bytes: Uint8Array,
  file: string,
  wanted?: ReadonlyMap<number, string>,
): Promise<ReadAsDcmtk> {
  const { part10, encoding, top } = readPart10(bytes, file, wanted)
  const { transferSyntaxUid } = part10
  if (transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)
    return {
      bytes: unSequencesAsSq(await inflatePart10(part10.bytes, file), file),
      transferSyntaxUid,
    }
  if (part10.unSequences) return { bytes: unSequencesAsSq(part10.bytes, file), transferSyntaxUid }
  return top
    ? { bytes: part10.bytes, transferSyntaxUid, top, encoding }
    : { bytes: part10.bytes, transferSyntaxUid }
}

import { inflatePart10 } from './inflatePart10.js'
import { toPart10 } from './toPart10.js'
import { unSequencesAsSq } from './unSequencesAsSq.js'
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN } from './vr.js'

/**
 * The steps that make a file dcmtk reads readable by dicom-parser and dcmjs, each only when it
 * has something to do: {@link toPart10} (structure walked, meta header added or completed,
 * trailing padding left out), {@link inflatePart10} for a deflated dataset, and
 * {@link unSequencesAsSq} for CP-246 `UN` sequences.
 *
 * @param bytes - the file (not changed).
 * @param file - a name for messages.
 * @returns a Part 10 file in a transfer syntax dicom-parser and dcmjs read.
 * @throws {ComputeError} `COMPUTE_UNREADABLE_DICOM` with the reason and the byte offset.
 */
export async function readAsDcmtk(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  const part10 = toPart10(bytes, file)
  if (part10.transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)
    return unSequencesAsSq(await inflatePart10(part10.bytes, file), file)
  return part10.unSequences ? unSequencesAsSq(part10.bytes, file) : part10.bytes
}

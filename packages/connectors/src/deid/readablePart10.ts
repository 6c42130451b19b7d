import { inflateRawSync } from 'node:zlib'
import { toPart10 } from '@btt/compute/part10'
import { BttError } from '@btt/core/errors'
import { ConnectorsError, type ConnectorsErrorCode } from '../errors.js'
import { LONG } from './parseDataset.js'

export type ReadablePart10Parameters = {
  /** A name for messages. */
  file: string
  /** The code a refusal carries (`DEID_UNREADABLE_FILE`, `REID_UNREADABLE_FILE`). */
  code: ConnectorsErrorCode
  /** What could not be done, for messages: `de-identify`, `re-identify`. */
  verb: string
  /** Walk a Part 10 file's structure too (the reader that follows is not strict); else only convert. */
  check: boolean
}

const DEFLATED = '1.2.840.10008.1.2.1.99'
const MAX_INFLATED_BYTES = 1 << 30

/**
 * The input as a Part 10 file the readers take, read as dcmtk reads it (@btt/compute's
 * `toPart10`): a dataset stored without preamble and file meta header gets a meta header naming
 * the transfer syntax inferred from its first element; malformed structure is refused with the
 * reason and the byte offset. A Part 10 file that names its transfer syntax is returned as it
 * is (walked first with `check`, a deflated dataset inflated to be walked, at most 1 GiB; with
 * `check`, less any trailing zero padding; without, the reader that follows leaves it out).
 *
 * @param bytes - the file (not changed).
 * @param parameters - `{ file, code, verb, check }`.
 * @returns Part 10 bytes.
 * @throws {ConnectorsError} `code`, with `details.reason` and `details.offset`.
 */
export function readablePart10(
  bytes: Uint8Array,
  parameters: ReadablePart10Parameters,
): Uint8Array {
  const { file, code, verb, check } = parameters
  // the reader that follows (parseDataset) walks a Part 10 file strictly, trailing padding
  // included; one without a Transfer Syntax UID gets it inferred here, as dcmtk does
  if (!check && isPart10(bytes) && namesTransferSyntax(bytes)) return bytes
  let where = ''
  try {
    const part10 = toPart10(bytes, file)
    if (check && part10.transferSyntaxUid === DEFLATED) {
      where = 'in the inflated dataset: '
      toPart10(inflate(part10.bytes.subarray(part10.datasetOffset), part10.datasetOffset), file)
    }
    return part10.bytes
  } catch (error) {
    const details = error instanceof BttError ? error.details : (error as InflateFailure).details
    const reason = `${where}${String(details?.reason ?? (error as Error).message)}`
    const at = typeof details?.offset === 'number' ? ` (byte ${details.offset})` : ''
    throw new ConnectorsError(code, `${file}: cannot ${verb}: ${reason}${at}.`, {
      cause: error,
      details: { file, ...details, reason },
    })
  }
}

class InflateFailure {
  constructor(readonly details: { reason: string; offset: number }) {}
}

function inflate(deflated: Uint8Array, offset: number): Uint8Array {
  try {
    return inflateRawSync(deflated, { maxOutputLength: MAX_INFLATED_BYTES })
  } catch (error) {
    throw new InflateFailure({
      reason: `the deflated dataset does not inflate (${(error as Error).message})`,
      offset,
    })
  }
}

/** Whether the file meta header (explicit VR little endian, group 0002) holds (0002,0010). */
function namesTransferSyntax(bytes: Uint8Array): boolean {
  for (let pos = 132; pos + 8 <= bytes.byteLength; ) {
    if ((bytes[pos]! | (bytes[pos + 1]! << 8)) !== 0x0002) return false
    const element = bytes[pos + 2]! | (bytes[pos + 3]! << 8)
    if (element === 0x0010) return true
    const vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!)
    if (LONG.has(vr)) {
      if (pos + 12 > bytes.byteLength) return false
      pos +=
        12 +
        (bytes[pos + 8]! | (bytes[pos + 9]! << 8) | (bytes[pos + 10]! << 16)) +
        bytes[pos + 11]! * 2 ** 24
    } else pos += 8 + (bytes[pos + 6]! | (bytes[pos + 7]! << 8))
  }
  return false
}

function isPart10(bytes: Uint8Array): boolean {
  return (
    bytes.byteLength >= 132 &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d
  )
}

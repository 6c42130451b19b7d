import { toPart10 } from '@btt/compute/part10'
import { BttError } from '@btt/core/errors'
import { ConnectorsError, type ConnectorsErrorCode } from '../errors.js'

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

/**
 * The input as a Part 10 file the readers take, read as dcmtk reads it (@btt/compute's
 * `toPart10`): a dataset stored without preamble and file meta header gets a meta header naming
 * the transfer syntax inferred from its first element; malformed structure is refused with the
 * reason and the byte offset. A Part 10 file is returned as it is (walked first with `check`).
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
  if (!check && isPart10(bytes)) return bytes
  try {
    return toPart10(bytes, file).bytes
  } catch (error) {
    const details = error instanceof BttError ? error.details : undefined
    const reason = String(details?.reason ?? (error as Error).message)
    const at = typeof details?.offset === 'number' ? ` (byte ${details.offset})` : ''
    throw new ConnectorsError(code, `${file}: cannot ${verb}: ${reason}${at}.`, {
      cause: error,
      details: { file, ...details },
    })
  }
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

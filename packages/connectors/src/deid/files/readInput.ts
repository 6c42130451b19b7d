import { readFileSync } from 'node:fs'
import { ConnectorsError } from '../../errors.js'

/**
 * Reads one input file.
 *
 * @throws {ConnectorsError} `DEID_INPUT_UNREADABLE` (permissions, gone, a folder).
 */
export function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path)
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    throw new ConnectorsError('DEID_INPUT_UNREADABLE', `${path}: cannot read: ${e.message}.`, {
      cause: error,
      details: { path, ...(e.code ? { errno: e.code } : {}) },
    })
  }
}

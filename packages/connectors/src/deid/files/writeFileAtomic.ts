import { randomBytes } from 'node:crypto'
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { ConnectorsError } from '../../errors.js'

/**
 * Writes a file atomically: to a temporary name beside it, then renamed over the target, so a
 * reader (or a crash) never sees half a file. Creates the folder if needed.
 *
 * @throws {ConnectorsError} `DEID_OUTPUT_FAILED`.
 */
export function writeFileAtomic(target: string, bytes: Uint8Array): void {
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    try {
      writeFileSync(temp, bytes, { flag: 'wx' })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(temp, bytes, { flag: 'wx' })
    }
    renameSync(temp, target)
  } catch (error) {
    rmSync(temp, { force: true })
    throw new ConnectorsError(
      'DEID_OUTPUT_FAILED',
      `${target}: cannot write: ${(error as Error).message}.`,
      { cause: error, details: { path: target } },
    )
  }
}

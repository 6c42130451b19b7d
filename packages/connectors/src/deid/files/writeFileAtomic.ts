import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { ConnectorsError } from '../../errors.js'

/**
 * Writes a file atomically: to a temporary name beside it, then renamed over the target, so a
 * reader (or a crash) never sees half a file. Creates the folder if needed. `bytes` may be given in
 * parts (as {@link deidentify} returns them), written in order without joining them first.
 *
 * @throws {ConnectorsError} `DEID_OUTPUT_FAILED`.
 */
export function writeFileAtomic(target: string, bytes: Uint8Array | readonly Uint8Array[]): void {
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    let fd: number
    try {
      fd = openSync(temp, 'wx')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      mkdirSync(dirname(target), { recursive: true })
      fd = openSync(temp, 'wx')
    }
    try {
      for (const part of bytes instanceof Uint8Array ? [bytes] : bytes)
        for (let done = 0; done < part.length; )
          done += writeSync(fd, part, done, part.length - done)
    } finally {
      closeSync(fd)
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

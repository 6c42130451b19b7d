import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { ConnectorsError } from '../../errors.js'

/** A buffer {@link readInput} may read into again and again (a batch read file by file). */
export type ReadScratch = { buffer?: Buffer }

/**
 * Reads one input file. With `scratch`, the bytes land in a buffer that is reused for the next
 * file (grown as needed), so a batch allocates once: use the result before the next read.
 *
 * @throws {ConnectorsError} `DEID_INPUT_UNREADABLE` (permissions, gone, a folder, a device or FIFO).
 */
export function readInput(path: string, scratch?: ReadScratch): Uint8Array {
  let fd: number | undefined
  try {
    // non-blocking: a FIFO would wait for a writer; a device (/dev/zero) is refused by fstat
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
    const stat = fstatSync(fd)
    if (!stat.isFile())
      throw new ConnectorsError('DEID_INPUT_UNREADABLE', `${path}: not a regular file.`, {
        details: { path },
      })
    const size = stat.size
    let buffer = scratch?.buffer
    if (!buffer || buffer.length < size) {
      buffer = Buffer.allocUnsafe(scratch ? Math.max(size, 1 << 20) : size)
      if (scratch) scratch.buffer = buffer
    }
    let done = 0
    while (done < size) {
      const n = readSync(fd, buffer, done, size - done, done)
      if (n === 0) break // the file shrank while being read
      done += n
    }
    return buffer.subarray(0, done)
  } catch (error) {
    if (error instanceof ConnectorsError) throw error
    const e = error as NodeJS.ErrnoException
    throw new ConnectorsError('DEID_INPUT_UNREADABLE', `${path}: cannot read: ${e.message}.`, {
      cause: error,
      details: { path, ...(e.code ? { errno: e.code } : {}) },
    })
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

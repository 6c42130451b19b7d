import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { filesArguments } from './arguments.js'

/**
 * Reads a whole regular file, at most `maxBytes`: opened without blocking (a FIFO would wait for
 * a writer), checked with fstat after the open (no race with a swap), then read to its size, so a
 * device such as `/dev/zero` or a FIFO is refused instead of read forever. Throws what `refuse`
 * makes of the reason (and the system error when there is one).
 */
export function readRegularFile(
  path: string,
  maxBytes: number,
  refuse: (reason: string, cause?: unknown) => Error,
): Buffer {
  filesArguments.readRegularFile([path, maxBytes, refuse])
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    throw refuse((error as Error).message, error)
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw refuse('not a regular file (a device, FIFO, socket or folder)')
    if (stat.size > maxBytes) throw refuse(`larger than ${maxBytes} bytes`)
    const bytes = Buffer.alloc(stat.size)
    let filled = 0
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, null)
      if (n === 0) break
      filled += n
    }
    return bytes.subarray(0, filled)
  } catch (error) {
    if (error instanceof Error && !('errno' in error)) throw error
    throw refuse((error as Error).message, error)
  } finally {
    closeSync(fd)
  }
}

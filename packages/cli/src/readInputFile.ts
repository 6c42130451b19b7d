import { readFileSync, statSync } from 'node:fs'

/**
 * Reads a file named on the command line (a key, a secret, a JSON record, a document). Only a
 * regular file is read, and none over `maxBytes` (default 64 MiB): a device such as /dev/zero or
 * a FIFO was read forever, a folder failed with a bare EISDIR. Throws a plain Error with the
 * reason; each command wraps it in its package's coded error.
 */
export function readInputFile(file: string, maxBytes = 64 * 1024 * 1024): Buffer {
  const stat = statSync(file)
  if (stat.isDirectory()) throw new Error(`${file} is a folder, not a file`)
  if (!stat.isFile()) throw new Error(`${file} is not a regular file (a device, FIFO or socket)`)
  if (stat.size > maxBytes) throw new Error(`${file} is larger than ${maxBytes} bytes`)
  return readFileSync(file)
}

/** {@link readInputFile} as UTF-8 text. */
export function readInputText(file: string, maxBytes?: number): string {
  return readInputFile(file, maxBytes).toString('utf8')
}

/**
 * Why `file` cannot be read as an input file (a folder, a device, a FIFO), or undefined when it is
 * a regular file or does not exist (the reader then says so). For files a library reads itself.
 */
export function notARegularFile(file: string): string | undefined {
  try {
    const stat = statSync(file)
    if (stat.isDirectory()) return `${file} is a folder, not a file`
    return stat.isFile() ? undefined : `${file} is not a regular file (a device, FIFO or socket)`
  } catch {
    return undefined
  }
}

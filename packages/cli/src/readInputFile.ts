import { readFileSync, statSync } from 'node:fs'
import { CliError } from './errors.js'

/**
 * Reads a file named on the command line (a key, a secret, a JSON record, a document). Only a
 * regular file is read, and none over `maxBytes` (default 64 MiB): a device such as /dev/zero or
 * a FIFO was read forever, a folder failed with a bare EISDIR. Throws `CLI_INPUT_FILE` with the
 * reason; each command wraps it in its package's coded error.
 */
export function readInputFile(file: string, maxBytes = 64 * 1024 * 1024): Buffer {
  const stat = statSync(file)
  if (stat.isDirectory()) throw inputFile(`${file} is a folder, not a file`, file)
  if (!stat.isFile())
    throw inputFile(`${file} is not a regular file (a device, FIFO or socket)`, file)
  if (stat.size > maxBytes) throw inputFile(`${file} is larger than ${maxBytes} bytes`, file)
  return readFileSync(file)
}

const inputFile = (message: string, file: string) =>
  new CliError('CLI_INPUT_FILE', message, { details: { file } })

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

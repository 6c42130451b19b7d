import { randomBytes } from 'node:crypto'
import { createWriteStream, openSync, renameSync, rmSync, type WriteStream } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** A file written under a temporary name beside its final one, renamed into place on commit. */
export type TemporaryFile = {
  readonly path: string
  readonly temporary: string
  /** Appends a chunk; waits when the stream is full; rejects with the stream's error. */
  write(chunk: string): Promise<void>
  /** Flushes and closes the stream (the file keeps its temporary name). */
  end(): Promise<void>
  /** Renames the temporary file onto its final name (atomic on one filesystem). */
  commit(): void
  /** Closes the stream and removes the temporary file; never throws. */
  discard(): void
}

/**
 * Opens `path` for writing under a temporary name in the same folder (`.name.<random>.tmp`,
 * created exclusively), so a reader never sees a half-written file and an interrupted run leaves
 * the previous file in place. The file is created synchronously, so an error opening it is
 * thrown here.
 */
export function temporaryFile(path: string): TemporaryFile {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(temporary, 'wx')
  const stream: WriteStream = createWriteStream(temporary, { fd })
  let failure: Error | undefined
  stream.on('error', (error) => {
    failure = error
  })
  const settle = (event: 'drain' | 'finish', resolve: () => void, reject: (e: Error) => void) => {
    const onEvent = () => {
      stream.off('error', onError)
      resolve()
    }
    const onError = (error: Error) => {
      stream.off(event, onEvent)
      reject(error)
    }
    stream.once(event, onEvent)
    stream.once('error', onError)
  }
  return {
    path,
    temporary,
    write: (chunk) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure)
        if (stream.write(chunk)) resolve()
        else settle('drain', resolve, reject)
      }),
    end: () =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure)
        settle('finish', resolve, reject)
        stream.end()
      }),
    commit: () => renameSync(temporary, path),
    discard: () => {
      stream.destroy()
      rmSync(temporary, { force: true })
    },
  }
}

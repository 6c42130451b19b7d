import { closeSync, openSync, renameSync, rmSync, writeSync, writevSync } from 'node:fs'
import { dirname } from 'node:path'
import { threadId } from 'node:worker_threads'
import { makeFolder } from '@btt/compute/files'
import { ConnectorsError } from '../../errors.js'

/** A file written under a temporary name: `commit` renames it into place, `discard` removes it. */
export type StagedFile = { target: string; temp: string; commit(): void; discard(): void }

let serial = 0

/**
 * Writes a file under a temporary name beside its target (creating the folder if needed), to be
 * renamed into place later: a reader, or a crash, never sees half a file, and a batch can put its
 * files in place only once what they depend on (the vault's pseudonyms) is stored. `bytes` may be
 * given in parts (as {@link deidentify} returns them), written in order without joining them.
 *
 * @throws {ConnectorsError} `DEID_OUTPUT_FAILED` (here and from `commit`).
 */
export function stageFile(target: string, bytes: Uint8Array | readonly Uint8Array[]): StagedFile {
  // unique within the process and thread; 'wx' refuses a name that exists (another's, a leftover)
  const temp = `${target}.${process.pid}.${threadId}.${++serial}.tmp`
  try {
    let fd: number
    try {
      fd = openSync(temp, 'wx')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      makeFolder(
        dirname(target),
        (reason, cause) =>
          new ConnectorsError(
            'DEID_OUTPUT_FAILED',
            `${target}: cannot make its folder: ${reason}.`,
            {
              cause,
              details: { path: target },
            },
          ),
      )
      fd = openSync(temp, 'wx')
    }
    try {
      writeAll(fd, bytes instanceof Uint8Array ? [bytes] : bytes)
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    if (error instanceof ConnectorsError) throw error
    throw outputFailed(temp, target, error)
  }
  return stagedAt(temp, target)
}

/**
 * The {@link StagedFile} of a file staged elsewhere (another thread) at `temp`, to be renamed to
 * `target`.
 */
export function stagedAt(temp: string, target: string): StagedFile {
  return {
    target,
    temp,
    commit() {
      try {
        renameSync(temp, target)
      } catch (error) {
        throw outputFailed(temp, target, error)
      }
    },
    discard: () => removeQuietly(temp),
  }
}

function outputFailed(temp: string, target: string, error: unknown): ConnectorsError {
  removeQuietly(temp)
  return new ConnectorsError(
    'DEID_OUTPUT_FAILED',
    `${target}: cannot write: ${(error as Error).message}.`,
    { cause: error, details: { path: target } },
  )
}

/** All parts, in one system call when the kernel takes them whole. */
function writeAll(fd: number, parts: readonly Uint8Array[]) {
  const total = parts.reduce((n, p) => n + p.length, 0)
  const first = writevSync(fd, parts as Uint8Array[])
  if (first === total) return
  let skip = first
  for (const part of parts) {
    for (let done = Math.min(skip, part.length); done < part.length; )
      done += writeSync(fd, part, done, part.length - done)
    skip = Math.max(0, skip - part.length)
  }
}

function removeQuietly(path: string) {
  try {
    rmSync(path, { force: true })
  } catch {
    // nothing was there to remove (a file where a folder should be)
  }
}

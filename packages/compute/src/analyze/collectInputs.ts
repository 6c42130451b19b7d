import { readdirSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ComputeError } from '../errors.js'
import type { AnalysisFailure, StudyInput } from './types.js'

/** One item to decode: a name for messages and its bytes (read on demand, off the main thread, for files). */
export type InputItem = {
  name: string
  bytes: Uint8Array | (() => Uint8Array | Promise<Uint8Array>)
}

/**
 * The items of a study, in order: folders are walked (sorted, dot-files skipped) and every file
 * or folder reached twice — through a `self -> .` link, a link loop, or named twice — is taken
 * once (by device and inode). A path that cannot be read (missing, a link loop, no permission,
 * not a regular file) is recorded in `failures` as `COMPUTE_UNREADABLE_INPUT` and the rest goes on.
 *
 * @param study - paths, folders or bytes.
 * @param failures - where unreadable entries are recorded.
 * @returns the items, each file once.
 */
export function collectInputs(study: StudyInput, failures: AnalysisFailure[]): InputItem[] {
  const seen = new Set<string>()
  const items: InputItem[] = []
  const fail = (error: ComputeError) =>
    failures.push({ file: error.details!.file as string, error: failureOf(error) })
  const fromPath = (path: string) => {
    try {
      const st = statSync(path, { bigint: true })
      const key = `${st.dev}:${st.ino}`
      if (seen.has(key)) return
      seen.add(key)
      if (st.isDirectory()) {
        for (const name of readdirSync(path).sort())
          if (!name.startsWith('.')) fromPath(join(path, name))
      } else if (st.isFile()) items.push({ name: path, bytes: () => readInput(path) })
      else throw unreadable(path, 'not a regular file or folder')
    } catch (error) {
      fail(error instanceof ComputeError ? error : unreadable(path, reason(error), error))
    }
  }
  if (typeof study === 'string') fromPath(study)
  else if (study instanceof Uint8Array) items.push({ name: '(buffer)', bytes: study })
  else
    study.forEach((item, i) => {
      if (typeof item === 'string') fromPath(item)
      else if (item instanceof Uint8Array) items.push({ name: `(buffer ${i})`, bytes: item })
      else items.push(item)
    })
  return items
}

/** A file's bytes, read asynchronously; a failure is `COMPUTE_UNREADABLE_INPUT` naming the file. */
export async function readInput(path: string): Promise<Uint8Array> {
  try {
    const b = await readFile(path)
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
  } catch (error) {
    throw unreadable(path, reason(error), error)
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ELOOP') return 'a symbolic link loop'
  if (code === 'ENOENT') return 'no such file or folder'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  return (error as Error)?.message ?? String(error)
}

function unreadable(path: string, why: string, cause?: unknown): ComputeError {
  return new ComputeError('COMPUTE_UNREADABLE_INPUT', `${path}: cannot read: ${why}.`, {
    cause,
    details: { file: path, reason: why, errno: (cause as NodeJS.ErrnoException)?.code ?? null },
  })
}

/** A failure entry's `error`: the coded error, as data. */
export function failureOf(error: {
  name: string
  code?: string
  shortMessage?: string
  message: string
  details?: Readonly<Record<string, unknown>> | undefined
}): AnalysisFailure['error'] {
  return {
    name: error.name,
    code: error.code ?? 'COMPUTE_UNEXPECTED',
    message: error.shortMessage ?? error.message,
    ...(error.details ? { details: error.details } : {}),
  }
}

import { mkdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { filesArguments } from './arguments.js'

/**
 * Creates a folder and its missing parents one level at a time: Node 20's
 * `mkdirSync(path, { recursive: true })` loops forever where a parent exists but refuses new
 * entries with ENOENT, as `/proc` does. Any failure (EACCES, ENOENT, ENOTDIR, a file in the way)
 * throws what `refuse` makes of the reason and the system error.
 */
export function makeFolder(dir: string, refuse: (reason: string, cause?: unknown) => Error): void {
  filesArguments.makeFolder([dir, refuse])
  const missing: string[] = []
  try {
    for (let p = resolve(dir); ; p = dirname(p)) {
      try {
        statSync(p)
        break
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(p) === p) throw error
        missing.unshift(p)
      }
    }
    for (const p of missing)
      try {
        mkdirSync(p)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
    if (!statSync(dir).isDirectory()) throw refuse('it exists and is not a folder')
  } catch (error) {
    if (error instanceof Error && !('errno' in error)) throw error
    throw refuse((error as Error).message, error)
  }
}

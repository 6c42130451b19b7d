import { mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Creates a folder and its missing parents, one level at a time. (Node 20's
 * `mkdirSync(path, { recursive: true })` loops forever where a parent exists but refuses new
 * entries with ENOENT, as `/proc` does; this fails with that error instead.)
 *
 * @param dir - an absolute folder path.
 */
export function makeFolder(dir: string): void {
  const missing: string[] = []
  for (let p = dir; ; p = dirname(p)) {
    try {
      statSync(p)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(p) === p) throw error
      missing.unshift(p)
    }
  }
  for (const p of missing) {
    try {
      mkdirSync(p)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
}

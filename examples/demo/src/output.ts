import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

/** The file every demo output folder carries; a folder with it may be replaced by the next run. */
export const MARKER = 'btt-demo.json'

/** Why an output folder cannot be used (the demo refuses before doing any work). */
export class OutputRefused extends Error {
  override name = 'OutputRefused'
}

/**
 * Checks the output folder and returns a fresh staging folder beside it. The demo writes into the
 * staging folder; `commit()` then puts it in place in one rename. The folder may be missing, empty,
 * or a previous demo output (it has {@link MARKER}); anything else is refused, so a user's files
 * are never overwritten.
 */
export function prepareOutput(target: string): { staging: string; commit(): string } {
  const dir = resolve(target)
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new OutputRefused(`${dir} exists and is not a folder`)
    const entries = readdirSync(dir)
    if (entries.length > 0 && !entries.includes(MARKER))
      throw new OutputRefused(
        `${dir} is not empty and is not a previous demo output (no ${MARKER}); give another folder`,
      )
  }
  mkdirSync(dirname(dir), { recursive: true })
  const staging = join(dirname(dir), `.${basename(dir)}.staging-${randomBytes(4).toString('hex')}`)
  mkdirSync(staging)
  return {
    staging,
    commit() {
      if (existsSync(dir)) {
        const old = join(dirname(dir), `.${basename(dir)}.old-${randomBytes(4).toString('hex')}`)
        renameSync(dir, old)
        renameSync(staging, dir)
        rmSync(old, { recursive: true, force: true })
      } else renameSync(staging, dir)
      return dir
    },
  }
}

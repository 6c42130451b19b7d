import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { makeFolder as makeFolderOnce } from '@btt/compute/files'
import { CliError } from './errors.js'

/**
 * Why `dir` cannot be an output folder, or undefined when it can: it exists and is not a folder,
 * or its nearest existing parent is not a folder or not writable. Creates nothing, so a command
 * can refuse before it does its work.
 */
export function outputFolderProblem(dir: string): string | undefined {
  const target = resolve(dir)
  for (let p = target; ; p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory())
        return p === target ? 'it exists and is not a folder' : `${p} is not a folder`
      accessSync(p, constants.W_OK)
      return undefined
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(p) !== p) continue
      return code === 'EACCES' || code === 'EROFS' || code === 'EPERM'
        ? `${p} is not writable`
        : `${p}: ${(error as Error).message}`
    }
  }
}

/**
 * Creates a folder and its missing parents one level at a time (@btt/compute/files: Node 20's
 * recursive mkdir loops forever under `/proc`); any failure is `CLI_OUTPUT_FOLDER` with the reason.
 */
export function makeFolder(dir: string): void {
  makeFolderOnce(
    dir,
    (reason, cause) =>
      new CliError('CLI_OUTPUT_FOLDER', `Cannot create the folder ${dir}: ${reason}`, {
        cause,
        details: { dir },
      }),
  )
}

/** Writes a file atomically: a temporary name beside it, then a rename over it. */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, data)
  renameSync(tmp, file)
}

/**
 * Why `file` cannot be written, or undefined when it can: tried for real with an empty
 * temporary file beside it (removed at once), since permission bits do not tell (root, /proc).
 * For outputs written only after work that cannot be undone (a deployment).
 */
export function fileWriteProblem(file: string): string | undefined {
  const probe = `${file}.${process.pid}.probe`
  try {
    writeFileSync(probe, '', { flag: 'wx' })
    rmSync(probe, { force: true })
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

/** Removes an SQLite database this run created and its -wal, -shm and -journal files. */
export function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true })
}

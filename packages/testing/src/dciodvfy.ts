import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tool } from './tool.js'

/** Whether David Clunie's IOD validator (Debian `dicom3tools`) is installed. */
export const hasDciodvfy = () => tool('dciodvfy', 'dicom3tools') !== undefined

/**
 * Runs `dciodvfy` on a DICOM file and returns what it says: the IOD it recognised (first line
 * naming one), its `Error` lines and its `Warning` lines.
 */
export function dciodvfy(bytes: Uint8Array): { iod: string; errors: string[]; warnings: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'btt-dciodvfy-'))
  try {
    const file = join(dir, 'object.dcm')
    writeFileSync(file, bytes)
    const run = spawnSync('dciodvfy', [file], { encoding: 'utf8' })
    const lines = `${run.stdout}\n${run.stderr}`.split('\n').filter(Boolean)
    return {
      iod: lines.find((l) => !/^(Error|Warning)/.test(l)) ?? '',
      errors: lines.filter((l) => l.startsWith('Error')),
      warnings: lines.filter((l) => l.startsWith('Warning')),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

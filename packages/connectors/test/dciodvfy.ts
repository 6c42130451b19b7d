import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const installed = spawnSync('sh', ['-c', 'command -v dciodvfy']).status === 0
if (!installed) {
  if (process.env.CI)
    throw new Error('dciodvfy is not installed; .ci/run should have installed dicom3tools')
  // biome-ignore lint/suspicious/noConsole: tells a developer without dicom3tools what is skipped
  console.warn('dciodvfy (Debian dicom3tools) not installed; skipping the IOD validation tests')
}

/** Whether David Clunie's IOD validator (Debian `dicom3tools`) is installed. */
export const hasDciodvfy = () => installed

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

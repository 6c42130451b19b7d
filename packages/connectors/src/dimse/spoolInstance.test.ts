import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { spoolInstance } from './spoolInstance.js'

test('an instance goes to spool/<study>/<sop>.dcm; one without valid UIDs is refused and nothing is written', () => {
  const spoolDir = mkdtempSync(join(tmpdir(), 'btt-spool-'))
  const written: string[] = []
  const dataset = (elements: Record<string, unknown>) => ({
    getElements: () => elements,
    toFile: (path: string) => {
      written.push(path)
      writeFileSync(path, 'DICM')
    },
  })
  try {
    expect(
      spoolInstance(
        dataset({
          StudyInstanceUID: '1.2',
          SOPInstanceUID: '1.2.3',
          NumberOfStudyRelatedInstances: 4,
        }),
        undefined,
        spoolDir,
      ),
    ).toEqual({ studyInstanceUid: '1.2', file: join(spoolDir, '1.2', '1.2.3.dcm'), expected: 4 })
    // the SOP Instance UID from the command when the dataset lacks it
    expect(spoolInstance(dataset({ StudyInstanceUID: '1.2' }), '1.2.4', spoolDir).file).toBe(
      join(spoolDir, '1.2', '1.2.4.dcm'),
    )
    for (const bad of [
      { SOPInstanceUID: '1.2.5' },
      { StudyInstanceUID: '../x', SOPInstanceUID: '1' },
    ])
      expect(() => spoolInstance(dataset(bad), undefined, spoolDir)).toThrow(
        expect.objectContaining({ code: 'SCP_INVALID_INSTANCE' }),
      )
    expect(written).toHaveLength(2)
    // written under a temporary name, then renamed: only the instances are left
    expect(written.every((w) => w.endsWith('.part'))).toBe(true)
    expect(readdirSync(join(spoolDir, '1.2')).sort()).toEqual(['1.2.3.dcm', '1.2.4.dcm'])
    expect(existsSync(join(spoolDir, '..', 'x'))).toBe(false)
  } finally {
    rmSync(spoolDir, { recursive: true, force: true })
  }
})

test('a write that fails leaves no partial file under the instance name, nor the temporary one', () => {
  const spoolDir = mkdtempSync(join(tmpdir(), 'btt-spool-'))
  try {
    const failing = {
      getElements: () => ({ StudyInstanceUID: '1.2', SOPInstanceUID: '1.2.9' }),
      toFile: (path: string) => {
        writeFileSync(path, 'DI') // half written, then the disk fills
        throw new Error('ENOSPC')
      },
    }
    expect(() => spoolInstance(failing, undefined, spoolDir)).toThrow('ENOSPC')
    expect(readdirSync(join(spoolDir, '1.2'))).toEqual([])
  } finally {
    rmSync(spoolDir, { recursive: true, force: true })
  }
})

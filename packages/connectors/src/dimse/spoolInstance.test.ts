import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { spoolInstance } from './spoolInstance.js'

test('an instance goes to spool/<study>/<sop>.dcm; one without valid UIDs is refused and nothing is written', () => {
  const spoolDir = mkdtempSync(join(tmpdir(), 'btt-spool-'))
  const written: string[] = []
  const dataset = (elements: Record<string, unknown>) => ({
    getElements: () => elements,
    toFile: (path: string) => written.push(path),
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
    expect(existsSync(join(spoolDir, '..', 'x'))).toBe(false)
  } finally {
    rmSync(spoolDir, { recursive: true, force: true })
  }
})

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { stageFile } from './stageFile.js'
import { writeFileAtomic } from './writeFileAtomic.js'

const root = mkdtempSync(join(tmpdir(), 'btt-stage-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('stageFile / writeFileAtomic', () => {
  test('nothing at the target until commit; parts written in order; folders made', () => {
    const target = join(root, 'a', 'b', 'out.dcm')
    const staged = stageFile(target, [Buffer.from('he'), Buffer.from('llo')])
    expect(existsSync(target)).toBe(false)
    staged.commit()
    expect(readFileSync(target, 'utf8')).toBe('hello')
    expect(readdirSync(join(root, 'a', 'b'))).toEqual(['out.dcm'])
  })
  test('discard leaves nothing; a write that fails is a DEID_OUTPUT_FAILED', () => {
    const target = join(root, 'gone.dcm')
    stageFile(target, Buffer.from('x')).discard()
    expect(readdirSync(root)).not.toContain('gone.dcm')
    writeFileAtomic(join(root, 'file'), Buffer.from('x'))
    expect(() => writeFileAtomic(join(root, 'file', 'below'), Buffer.from('x'))).toThrow(
      expect.objectContaining({ code: 'DEID_OUTPUT_FAILED' }),
    )
  })
})

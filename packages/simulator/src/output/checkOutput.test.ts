import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { checkOutput } from './checkOutput.js'

const root = mkdtempSync(join(tmpdir(), 'btt-check-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const code = (f: () => unknown) => {
  try {
    f()
  } catch (error) {
    return (error as { code?: string }).code
  }
  return 'none'
}

describe('checkOutput', () => {
  test('a new folder in a writable folder, or an existing folder: fine, nothing created', () => {
    expect(checkOutput(join(root, 'new', 'deeper'))).toBe(join(root, 'new', 'deeper'))
    expect(checkOutput(root)).toBe(root)
    expect(code(() => checkOutput(join(root, 'new')))).toBe('none')
  })

  test('a file, or a path under a file, is not writable', () => {
    const file = join(root, 'f.txt')
    writeFileSync(file, '')
    expect(code(() => checkOutput(file))).toBe('SIM_OUTPUT_NOT_WRITABLE')
    expect(code(() => checkOutput(join(file, 'sub', 'dir')))).toBe('SIM_OUTPUT_NOT_WRITABLE')
  })

  test('an output that would overwrite an input, through a link too, is refused', () => {
    const dir = join(root, 'in')
    mkdirSync(dir)
    writeFileSync(join(dir, 'months.csv'), 'a scenario with an odd name')
    symlinkSync(dir, join(root, 'link'))
    expect(code(() => checkOutput(dir, [join(dir, 'months.csv')]))).toBe(
      'SIM_OUTPUT_OVERWRITES_INPUT',
    )
    expect(code(() => checkOutput(join(root, 'link'), [join(dir, 'months.csv')]))).toBe(
      'SIM_OUTPUT_OVERWRITES_INPUT',
    )
    expect(code(() => checkOutput(join(dir, 'months.csv'), [join(dir, 'months.csv')]))).toBe(
      'SIM_OUTPUT_OVERWRITES_INPUT',
    )
    expect(code(() => checkOutput(join(dir, 'out'), [join(dir, 'months.csv')]))).toBe('none')
  })
})

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { makeFolder } from './makeFolder.js'

const root = mkdtempSync(join(tmpdir(), 'btt-mkdir-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('makeFolder', () => {
  test('creates missing parents; an existing folder is fine', () => {
    makeFolder(join(root, 'a', 'b', 'c'))
    expect(statSync(join(root, 'a', 'b', 'c')).isDirectory()).toBe(true)
    makeFolder(join(root, 'a'))
  })

  test('fails, rather than looping, where the parent refuses new entries (/proc)', () => {
    expect(() => makeFolder('/proc/btt-sim-x/y')).toThrow(/ENOENT/)
    expect(existsSync('/proc/btt-sim-x')).toBe(false)
  })
})

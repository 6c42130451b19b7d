import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { temporaryFile } from './temporaryFile.js'

const root = mkdtempSync(join(tmpdir(), 'btt-tmpfile-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('temporaryFile', () => {
  test('writes under a hidden temporary name; commit renames it over the old file', async () => {
    const path = join(root, 'a.csv')
    writeFileSync(path, 'old')
    const f = temporaryFile(path)
    await f.write('new ')
    await f.write('content')
    await f.end()
    expect(readFileSync(path, 'utf8')).toBe('old')
    expect(readdirSync(root)).toContain(f.temporary.slice(root.length + 1))
    f.commit()
    expect(readFileSync(path, 'utf8')).toBe('new content')
    expect(existsSync(f.temporary)).toBe(false)
  })

  test('discard removes the temporary file and leaves the old one', async () => {
    const path = join(root, 'b.csv')
    writeFileSync(path, 'old')
    const f = temporaryFile(path)
    await f.write('half')
    f.discard()
    expect(readdirSync(root).filter((n) => n.includes('b.csv'))).toEqual(['b.csv'])
    expect(readFileSync(path, 'utf8')).toBe('old')
  })

  test('a folder that does not exist fails at once', () => {
    expect(() => temporaryFile(join(root, 'missing', 'c.csv'))).toThrow(/ENOENT/)
  })
})

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { makeFolder, readRegularFile } from './index.js'

const dir = mkdtempSync(join(tmpdir(), 'btt-files-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const refuse = (reason: string, cause?: unknown) => new Error(`refused: ${reason}`, { cause })

test('makeFolder creates missing parents, and refuses a file in the way through `refuse`', () => {
  makeFolder(join(dir, 'a', 'b', 'c'), refuse)
  makeFolder(join(dir, 'a', 'b', 'c'), refuse) // again: already there
  writeFileSync(join(dir, 'file'), 'x')
  expect(() => makeFolder(join(dir, 'file'), refuse)).toThrow(/^refused: /)
  expect(() => makeFolder(join(dir, 'file', 'below'), refuse)).toThrow(/^refused: /)
})

test('readRegularFile reads a file within its bound and refuses a device, a folder, a larger file', () => {
  writeFileSync(join(dir, 'small'), 'hello')
  expect(readRegularFile(join(dir, 'small'), 5, refuse).toString()).toBe('hello')
  expect(() => readRegularFile(join(dir, 'small'), 4, refuse)).toThrow(/^refused: /)
  expect(() => readRegularFile('/dev/zero', 1024, refuse)).toThrow(/^refused: /)
  expect(() => readRegularFile(dir, 1024, refuse)).toThrow(/^refused: /)
})

test('bad arguments are a coded COMPUTE_INVALID_ARGUMENT, not a crash or a stray folder', () => {
  const bad: unknown[][] = [
    ['', refuse],
    [join(dir, 'x\0y'), refuse],
    [42, refuse],
    [join(dir, 'never'), undefined],
  ]
  for (const args of bad)
    expect(() => (makeFolder as (...a: unknown[]) => void)(...args)).toThrow(
      expect.objectContaining({ code: 'COMPUTE_INVALID_ARGUMENT' }),
    )
  for (const max of [0, -1, 1.5, Number.NaN, '10'])
    expect(() =>
      (readRegularFile as (...a: unknown[]) => Buffer)(join(dir, 'small'), max, refuse),
    ).toThrow(expect.objectContaining({ code: 'COMPUTE_INVALID_ARGUMENT' }))
})

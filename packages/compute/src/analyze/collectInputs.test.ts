import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { collectInputs } from './collectInputs.js'
import type { AnalysisFailure } from './types.js'

const root = mkdtempSync(join(tmpdir(), 'btt-collect-'))
afterAll(() => {
  if (existsSync(join(root, 'locked'))) chmodSync(join(root, 'locked'), 0o700)
  rmSync(root, { recursive: true, force: true })
})
const isRoot = process.getuid?.() === 0

/** study/a.dcm, study/sub/b.dcm, study/self -> ., study/sub/up -> .., study/dup.dcm -> a.dcm, a loop. */
function study(): string {
  const dir = join(root, 'study')
  mkdirSync(join(dir, 'sub'), { recursive: true })
  writeFileSync(join(dir, 'a.dcm'), 'a')
  writeFileSync(join(dir, 'sub', 'b.dcm'), 'b')
  writeFileSync(join(dir, '.hidden'), 'h')
  symlinkSync('.', join(dir, 'self'))
  symlinkSync('..', join(dir, 'sub', 'up'))
  symlinkSync('a.dcm', join(dir, 'dup.dcm'))
  symlinkSync('loop-b', join(dir, 'loop-a'))
  symlinkSync('loop-a', join(dir, 'loop-b'))
  return dir
}
const dir = study()

describe('collectInputs', () => {
  test('a file reached twice (self -> ., a link to a parent, a link to a file) is taken once', async () => {
    const failures: AnalysisFailure[] = []
    const items = collectInputs(dir, failures)
    expect(items.map((i) => i.name.slice(dir.length + 1))).toEqual(['a.dcm', 'sub/b.dcm'])
    expect(new TextDecoder().decode(await (items[0]!.bytes as () => Promise<Uint8Array>)())).toBe(
      'a',
    )
    // the link loop fails those entries, not the batch
    expect(failures.map((f) => [f.file.slice(dir.length + 1), f.error.code])).toEqual([
      ['loop-a', 'COMPUTE_UNREADABLE_INPUT'],
      ['loop-b', 'COMPUTE_UNREADABLE_INPUT'],
    ])
    expect(failures[0]!.error.message).toMatch(/symbolic link loop/)
  })

  test('the same file named twice in a list, directly and through a folder, is taken once', () => {
    const failures: AnalysisFailure[] = []
    const items = collectInputs(
      [join(dir, 'a.dcm'), join(dir, 'self', 'a.dcm'), join(dir, 'sub')],
      failures,
    )
    expect(items.map((i) => i.name.slice(dir.length + 1))).toEqual(['a.dcm', 'sub/b.dcm'])
  })

  test('missing and unreadable entries fail alone; bytes are passed through', () => {
    const locked = join(root, 'locked')
    mkdirSync(join(locked, 'inner'), { recursive: true })
    writeFileSync(join(locked, 'inner', 'x.dcm'), 'x')
    chmodSync(locked, 0o000)
    const failures: AnalysisFailure[] = []
    const bytes = new Uint8Array([1])
    const items = collectInputs(
      [join(root, 'missing.dcm'), locked, bytes, { name: 'n', bytes }],
      failures,
    )
    expect(items.map((i) => i.name)).toEqual(
      isRoot ? [join(locked, 'inner', 'x.dcm'), '(buffer 2)', 'n'] : ['(buffer 2)', 'n'],
    )
    expect(failures.map((f) => f.error.details!.reason)).toEqual(
      isRoot ? ['no such file or folder'] : ['no such file or folder', 'permission denied'],
    )
  })

  test('a FIFO (reading it would block forever) is refused as not a regular file, even for root', () => {
    const fifos = join(root, 'fifos')
    mkdirSync(fifos)
    execFileSync('mkfifo', [join(fifos, 'pipe.dcm')])
    writeFileSync(join(fifos, 'z.dcm'), 'z')
    const failures: AnalysisFailure[] = []
    expect(collectInputs(fifos, failures).map((i) => i.name)).toEqual([join(fifos, 'z.dcm')])
    expect(failures).toMatchObject([
      {
        file: join(fifos, 'pipe.dcm'),
        error: {
          code: 'COMPUTE_UNREADABLE_INPUT',
          details: { reason: 'not a regular file or folder' },
        },
      },
    ])
  })

  test('an empty folder gives no items and no failures', () => {
    const empty = join(root, 'empty')
    mkdirSync(empty)
    const failures: AnalysisFailure[] = []
    expect(collectInputs(empty, failures)).toEqual([])
    expect(failures).toEqual([])
  })
})

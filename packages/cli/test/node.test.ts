import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const dir = mkdtempSync(join(tmpdir(), 'btt-cli-node-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('btt node key create never overwrites an existing file (exit 3, coded, the file unchanged)', async () => {
  const out = join(dir, 'existing.txt')
  writeFileSync(out, 'precious\n')
  const io = captureIo()
  expect(await main(['node', 'key', 'create', '--out', out], io.io)).toBe(3)
  expect(io.err).toMatch(/^error COMPUTE_INVALID_ARGUMENT: .*exists/)
  expect(readFileSync(out, 'utf8')).toBe('precious\n')
  expect(readdirSync(dir)).toEqual(['existing.txt'])
})

test('btt node key create into a folder or a missing folder: a coded error, nothing left behind', async () => {
  const folder = join(dir, 'folder')
  mkdirSync(folder)
  for (const out of [folder, join(dir, 'missing', 'k.key')]) {
    const io = captureIo()
    expect(await main(['node', 'key', 'create', '--out', out], io.io)).toBe(3)
    expect(io.err).toMatch(/^error COMPUTE_INVALID_ARGUMENT: /)
    expect(io.err).not.toMatch(/CORE_UNKNOWN|at /)
  }
  expect(readdirSync(dir).sort()).toEqual(['existing.txt', 'folder'])
})

test('btt node start with a key file that does not exist: a coded error, not CORE_UNKNOWN', async () => {
  const io = captureIo()
  const code = await main(
    [
      'node',
      'start',
      '--coordinator',
      'http://127.0.0.1:9',
      '--key',
      join(dir, 'nope'),
      '--region',
      'cn',
    ],
    io.io,
  )
  expect(code).toBe(3)
  expect(io.err).toMatch(/^error COMPUTE_INVALID_ARGUMENT: Cannot read the key file/)
})

test.each([
  ['--public-url', 'ftp://x'],
  ['--coordinator', 'ftp://x'],
])(
  'btt node start %s %s is refused before registering (an ftp public URL was registered)',
  async (flag, url) => {
    const key = join(dir, 'url.key')
    writeFileSync(key, `0x${'11'.repeat(32)}\n`)
    const io = captureIo()
    const args = [
      'node',
      'start',
      '--coordinator',
      'http://127.0.0.1:9',
      '--key',
      key,
      '--region',
      'cn',
      flag,
      url,
    ]
    expect(await main(args, io.io)).toBe(3)
    expect(io.err).toMatch(
      new RegExp(`^error COMPUTE_INVALID_ARGUMENT: ${flag} must be an http\\(s\\) URL`),
    )
  },
)

test.each([
  ['--gpu-units', '1e12'],
  ['--power-watts', '1e9'],
])(
  'btt node start %s %s: refused locally as invalid input (the coordinator refused it with 400, exit 7)',
  async (flag, value) => {
    const key = join(dir, 'bounds.key')
    writeFileSync(key, `0x${'11'.repeat(32)}\n`)
    const io = captureIo()
    const args = [
      'node',
      'start',
      '--coordinator',
      'http://127.0.0.1:9',
      '--key',
      key,
      '--region',
      'cn',
      flag,
      value,
    ]
    expect(await main(args, io.io)).toBe(3)
    expect(io.err).toMatch(/^error COMPUTE_INVALID_ARGUMENT: Invalid createNode options/)
  },
)

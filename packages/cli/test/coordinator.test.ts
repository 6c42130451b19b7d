import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const dir = mkdtempSync(join(tmpdir(), 'btt-cli-coordinator-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = join(dir, 'file.txt')
const garbage = join(dir, 'garbage.json')
writeFileSync(file, 'hi\n')
writeFileSync(garbage, '{bad')

test.each([
  ['verify-epoch with a missing file', ['verify-epoch', join(dir, 'nope'), join(dir, 'nope2')]],
  ['start --model with garbage JSON', ['start', '--port', '0', '--model', garbage]],
  ['start --model that does not exist', ['start', '--port', '0', '--model', join(dir, 'nope')]],
  ['start --data that is a file', ['start', '--port', '0', '--data', file]],
  ['keys create --data that is a file', ['keys', 'create', '--clinic', 'c1', '--data', file]],
  ['start --port "" (was a random port)', ['start', '--port', '']],
])('btt coordinator %s: a coded one-line error (exit 3), not CORE_UNKNOWN', async (_, args) => {
  const io = captureIo()
  expect(await main(['coordinator', ...args], io.io)).toBe(3)
  expect(io.err).toMatch(/^error COMPUTE_INVALID_ARGUMENT: [^\n]+\n$/)
})

test('btt coordinator epoch refuses an --out that is a file or already holds a statement, before closing the epoch', async () => {
  const data = join(dir, 'data')
  const held = join(dir, 'held')
  mkdirSync(held)
  writeFileSync(join(held, 'statement.json'), 'earlier\n')
  for (const out of [file, held]) {
    const io = captureIo()
    const args = [
      'coordinator',
      'epoch',
      '--data',
      data,
      '--epoch-id',
      'e1',
      '--epoch',
      '0',
      '--epoch-seconds',
      '3600',
      '--out',
      out,
    ]
    expect(await main(args, io.io)).toBe(3)
    expect(io.err).toMatch(/^error COMPUTE_INVALID_ARGUMENT: --out /)
  }
  expect(readFileSync(join(held, 'statement.json'), 'utf8')).toBe('earlier\n')
  expect(readFileSync(file, 'utf8')).toBe('hi\n')
})

test('btt coordinator start and btt node start on a port in use: COMPUTE_NETWORK_UNAVAILABLE (exit 7), not a crash', async () => {
  const busy = createServer()
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
  const port = String((busy.address() as AddressInfo).port)
  const key = join(dir, 'node.key')
  writeFileSync(key, `0x${'11'.repeat(32)}\n`)
  try {
    for (const args of [
      ['coordinator', 'start', '--port', port],
      [
        'node',
        'start',
        '--coordinator',
        'http://127.0.0.1:9',
        '--key',
        key,
        '--region',
        'cn',
        '--port',
        port,
      ],
    ]) {
      const io = captureIo()
      expect(await main(args, io.io)).toBe(7)
      expect(io.err).toMatch(
        /^error COMPUTE_NETWORK_UNAVAILABLE: Cannot listen on 127\.0\.0\.1:\d+: the port is in use\.\n$/,
      )
    }
  } finally {
    busy.close()
  }
})

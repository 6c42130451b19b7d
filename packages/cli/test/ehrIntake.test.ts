import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-cli-ehr-intake-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const base = [
  'ehr',
  'serve',
  '--public-url',
  'http://127.0.0.1',
  '--issuer',
  'a=http://127.0.0.1:9/j',
]

/** A folder with a good pseudonym key, a bad client key and a sub-folder; the intake flags. */
function setup() {
  const dir = tmp()
  writeFileSync(join(dir, 'good.key'), 'a-pseudonym-key-of-enough-length\n')
  writeFileSync(join(dir, 'short.key'), 'short\n')
  writeFileSync(join(dir, 'garbage.json'), '{bad')
  mkdirSync(join(dir, 'sub'))
  const before = readdirSync(dir).sort()
  const intake = (o: { key?: string; state?: string; points?: string } = {}) => [
    '--points-db',
    o.points ?? join(dir, 'points.sqlite'),
    '--state',
    o.state ?? join(dir, 'state.sqlite'),
    '--pseudonym-key-file',
    o.key ?? join(dir, 'good.key'),
    '--intake-fhir',
    'http://127.0.0.1:9/fhir',
  ]
  return { dir, before, intake }
}

test('btt ehr serve --points-db refused for any invalid state or flag: nothing is created (no points or state database left behind)', async () => {
  const { dir, before, intake } = setup()
  const cases: string[][] = [
    [...intake({ key: join(dir, 'short.key') })], // the engine needs 16 characters
    [...intake(), '--subscription', 'not-a-subscription'],
    [...intake({ state: join(dir, 'missing', 'state.sqlite') })],
    [...intake({ state: join(dir, 'sub') })], // a folder
    [...intake({ points: join(dir, 'sub') })],
    [...intake({ state: join(dir, 'points.sqlite') })], // the same database twice
    [...intake({ points: join(dir, 'good.key') })], // an input
    [...intake(), '--client-key', join(dir, 'garbage.json')],
    ['--state', join(dir, 'state.sqlite')], // intake flags without --points-db
  ]
  for (const extra of cases) {
    const io = captureIo()
    const code = await main([...base, '--port', '0', ...extra], io.io)
    expect(code, `${extra.join(' ')}\n${io.err}`).toBeGreaterThanOrEqual(2)
    expect(code).toBeLessThan(70)
    expect(io.err).toMatch(/^error [A-Z_]+: /)
    expect(io.out).toBe('')
    expect(readdirSync(dir).sort(), extra.join(' ')).toEqual(before)
  }
})

test('btt ehr serve --points-db on a port in use: a coded error and no database left behind', async () => {
  const { dir, before, intake } = setup()
  const busy = createServer()
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
  try {
    const io = captureIo()
    const port = String((busy.address() as AddressInfo).port)
    expect(await main([...base, '--port', port, ...intake()], io.io)).toBe(3)
    expect(io.err).toMatch(/^error CONNECTORS_INVALID_ARGUMENT: Cannot listen on /)
    expect(readdirSync(dir).sort()).toEqual(before)
  } finally {
    busy.close()
  }
})

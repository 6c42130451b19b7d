import { spawnSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeDicom } from '@btt/compute/testing'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ensureBuilt } from './ensureBuilt.js'
import { plainEnv, root } from './published.js'

// `btt deid` as the built CLI runs it (the tests of @btt/cli run its sources): the command from
// its one CommonJS bundle through a V8 code cache, worker threads started before the bundle loads
// and, with workers, V8's optimising compiler delayed (packages/cli/src/commands/v8Tiering.ts)
// under a code cache of its own.
const dir = mkdtempSync(join(tmpdir(), 'btt-deid-built-'))
const cache = join(dir, 'cache')
const env = plainEnv({ XDG_CACHE_HOME: cache })
const bin = join(root, 'packages/cli/dist/bin.js')
// enough small files that the worker, started before the bundle loads, is still busy at the end
const COUNT = 150

beforeAll(async () => {
  await ensureBuilt()
  mkdirSync(join(dir, 'in', 'study'), { recursive: true })
  for (let i = 0; i < COUNT; i++) {
    const pixels = new Uint16Array(32 * 32).map((_, k) => (k * (i + 1)) % 4096)
    const file = writeDicom({ rows: 32, columns: 32, frames: [pixels], modality: 'CT' })
    writeFileSync(join(dir, 'in', 'study', `${i}.dcm`), file)
  }
}, 900_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const deid = (out: string, workers: string) =>
  spawnSync(
    process.execPath,
    [
      ...[bin, 'deid', join(dir, 'in'), '--out', join(dir, out)],
      ...['--vault', join(dir, 'v.sqlite'), '--workers', workers],
    ],
    { env, encoding: 'utf8' },
  )
const files = (out: string) =>
  readdirSync(join(dir, out, 'study'))
    .sort()
    .map((n) => readFileSync(join(dir, out, 'study', n)))
const cached = () =>
  readdirSync(join(cache, 'btt')).map((n) => ({ n, t: statSync(join(cache, 'btt', n)).mtimeMs }))

test('on one thread and with a worker, the same outputs; each V8 setting keeps its code cache', () => {
  const one = deid('one', '0')
  expect(one.status, one.stderr).toBe(0)
  expect(one.stdout).toMatch(new RegExp(`^${COUNT} de-identified, 0 failed`, 'm'))
  const two = deid('two', '1')
  expect(two.status, two.stderr).toBe(0)
  expect(two.stdout).toMatch(new RegExp(`^${COUNT} de-identified, 0 failed`, 'm'))
  expect(files('two')).toHaveLength(COUNT)
  expect(files('two')).toEqual(files('one')) // same vault, same key: byte for byte
  expect(files('one')[0]!.includes(Buffer.from('2.25.'))).toBe(true)
  const caches = cached()
  expect(caches.map((c) => c.n).sort()).toEqual([
    expect.stringMatching(/^deid-command\.cjs-[0-9a-f]{16}-v[\d.]+-\w+-delayed-tiering\.v8$/),
    expect.stringMatching(/^deid-command\.cjs-[0-9a-f]{16}-v[\d.]+-\w+\.v8$/),
  ])
  // run again under each setting: V8 takes each cache (a rejected one would be written anew)
  const runs: [string, string][] = [
    ['three', '1'],
    ['four', '0'],
  ]
  for (const [out, workers] of runs) {
    const again = deid(out, workers)
    expect(again.status, again.stderr).toBe(0)
    expect(files(out)).toEqual(files('one'))
  }
  expect(cached()).toEqual(caches)
})

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { openSqliteStore } from '../src/coordinator/sqliteStore.js'
import { demoModelManifestPath } from '../src/model/demoModel.js'
import { loadModel } from '../src/model/loadModel.js'

const dir = mkdtempSync(join(tmpdir(), 'btt-compute-files-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('loadModel refuses /dev/zero as a manifest instead of reading it forever', async () => {
  await expect(loadModel('/dev/zero')).rejects.toMatchObject({
    code: 'COMPUTE_UNREADABLE_MODEL',
    details: { file: '/dev/zero' },
  })
}, 10_000)

test('loadModel refuses a manifest whose model is /dev/zero or a FIFO', async () => {
  const manifest = JSON.parse(readFileSync(demoModelManifestPath(), 'utf8'))
  const zero = join(dir, 'zero.json')
  writeFileSync(zero, JSON.stringify({ ...manifest, model: '/dev/zero' }))
  await expect(loadModel(zero)).rejects.toMatchObject({
    code: 'COMPUTE_UNREADABLE_MODEL',
    message: expect.stringContaining('not a regular file'),
  })
  const fifo = join(dir, 'model.fifo')
  execFileSync('mkfifo', [fifo])
  const piped = join(dir, 'fifo.json')
  writeFileSync(piped, JSON.stringify({ ...manifest, model: fifo }))
  await expect(loadModel(piped)).rejects.toMatchObject({ code: 'COMPUTE_UNREADABLE_MODEL' })
}, 10_000)

test('the SQLite store refuses /proc/btt-x with a coded error instead of looping', () => {
  expect(() => openSqliteStore('/proc/btt-x')).toThrow(
    expect.objectContaining({ code: 'COMPUTE_STORE_FAILED', kind: 'io' }),
  )
}, 10_000)

test('the SQLite store refuses another program’s database untouched and reopens its own', async () => {
  const other = join(dir, 'other')
  const Database = (await import('better-sqlite3')).default
  openSqliteStore(other).close()
  const own = openSqliteStore(other)
  await own.addKey('h', 'clinic')
  await own.close()
  expect(await openSqliteStore(other).clinicOf('h')).toBe('clinic')
  const foreign = join(dir, 'foreign')
  openSqliteStore(foreign).close()
  rmSync(join(foreign, 'coordinator.sqlite'))
  const db = new Database(join(foreign, 'coordinator.sqlite'))
  db.exec('create table accounts (id text)')
  db.close()
  const before = readFileSync(join(foreign, 'coordinator.sqlite'))
  expect(() => openSqliteStore(foreign)).toThrow(
    expect.objectContaining({ code: 'COMPUTE_NOT_A_STORE', kind: 'conflict' }),
  )
  expect(readFileSync(join(foreign, 'coordinator.sqlite')).equals(before)).toBe(true)
})

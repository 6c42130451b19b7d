import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { writeFileAtomic } from '../src/deid/files/writeFileAtomic.js'
import { createStoreScp } from '../src/dimse/createStoreScp.js'

const root = mkdtempSync(join(tmpdir(), 'btt-folders-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

// Node 20's recursive mkdir loops forever under /proc: these end (coded) or hit the vitest timeout
test('a de-identified file under /proc/btt-x is refused, coded, instead of looping', () => {
  expect(() => writeFileAtomic('/proc/btt-x/a/b.dcm', Buffer.from('x'))).toThrow(
    expect.objectContaining({ code: 'DEID_OUTPUT_FAILED' }),
  )
}, 10_000)

test('a de-identified file under a file (not a folder) is refused, coded', () => {
  writeFileSync(join(root, 'plain'), 'x')
  expect(() => writeFileAtomic(join(root, 'plain', 'a', 'b.dcm'), Buffer.from('x'))).toThrow(
    expect.objectContaining({ code: 'DEID_OUTPUT_FAILED' }),
  )
}, 10_000)

test('the DICOM receiver refuses a spool folder under /proc/btt-x, coded', async () => {
  const scp = createStoreScp({ port: 0, aet: 'BTT', spoolDir: '/proc/btt-x/spool' })
  await expect(scp.listen()).rejects.toMatchObject({ code: 'SCP_LISTEN_FAILED' })
  scp.close()
}, 10_000)

test('the intake state refuses another program’s SQLite file untouched and reopens its own', async () => {
  const { openIntakeStore } = await import('../src/incentives/intakeStore.js')
  const Database = (await import('better-sqlite3')).default
  const own = join(root, 'intake.sqlite')
  const store = openIntakeStore(own)
  store.set('k', 'v')
  store.close()
  const again = openIntakeStore(own)
  expect(again.get('k')).toBe('v')
  again.close()
  const other = join(root, 'ledger.sqlite')
  const db = new Database(other)
  db.exec('CREATE TABLE accounts (id TEXT PRIMARY KEY)')
  db.close()
  const before = readFileSync(other)
  expect(() => openIntakeStore(other)).toThrow(
    expect.objectContaining({ code: 'INCENTIVE_NOT_INTAKE_STATE', kind: 'conflict' }),
  )
  expect(readFileSync(other).equals(before)).toBe(true)
})

test('a de-identification input that is a FIFO or a device is refused, coded, not waited on', async () => {
  const { execFileSync } = await import('node:child_process')
  const { readInput } = await import('../src/deid/files/readInput.js')
  expect(() => readInput('/dev/zero')).toThrow(
    expect.objectContaining({ code: 'DEID_INPUT_UNREADABLE' }),
  )
  const fifo = join(root, 'input.fifo')
  execFileSync('mkfifo', [fifo])
  expect(() => readInput(fifo)).toThrow(expect.objectContaining({ code: 'DEID_INPUT_UNREADABLE' }))
}, 10_000)

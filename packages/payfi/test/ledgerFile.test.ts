import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { openSqliteLedger, PayfiError } from '../src/index.js'
import { sqliteSchema } from '../src/ledger/sqlite/schema.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'btt-ledger-file-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test('another program’s SQLite database is refused and left byte for byte as it was', () => {
  const file = join(dir, 'jobs.sqlite')
  const other = new Database(file)
  other.exec('CREATE TABLE jobs (id TEXT PRIMARY KEY, state TEXT)')
  other.prepare("INSERT INTO jobs VALUES ('j1', 'done')").run()
  other.close()
  const before = readFileSync(file)
  let error: unknown
  try {
    openSqliteLedger(file)
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(PayfiError)
  expect(error).toMatchObject({ code: 'PAYFI_NOT_A_LEDGER', kind: 'conflict' })
  expect((error as Error).message).toContain(file)
  expect(readFileSync(file).equals(before)).toBe(true)
})

test('a new ledger is marked and opens again; a ledger made before the mark is adopted', async () => {
  const file = join(dir, 'ledger.sqlite')
  const ledger = openSqliteLedger(file)
  await ledger.createAccounts([{ id: 'a', currency: 'CNY' }])
  await ledger.close()
  const again = openSqliteLedger(file)
  expect(await again.getAccount('a')).toMatchObject({ id: 'a' })
  await again.close()
  const db = new Database(file, { readonly: true })
  expect(db.pragma('application_id', { simple: true })).toBe(0x4254544c)
  db.close()

  const old = join(dir, 'old.sqlite')
  const unmarked = new Database(old)
  unmarked.exec(sqliteSchema)
  unmarked.close()
  const adopted = openSqliteLedger(old)
  expect(await adopted.getAccount('a')).toBeNull()
  await adopted.close()
})

test('a database marked by another application is refused', () => {
  const file = join(dir, 'marked.sqlite')
  const db = new Database(file)
  db.pragma('application_id = 42')
  db.close()
  expect(() => openSqliteLedger(file)).toThrow(
    expect.objectContaining({ code: 'PAYFI_NOT_A_LEDGER' }),
  )
})

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, expect, test } from 'vitest'
import { openSqliteLedger } from '../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'payfi-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the writer until it has acknowledged `after` writes, then kill -9; returns the acknowledged ids. */
function writeThenKill(path: string, after: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@btt/source',
        join(import.meta.dirname, 'fixtures/crashWriter.ts'),
        path,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      out += d
      if (out.split('\n').length > after && !child.killed) child.kill('SIGKILL')
    })
    child.stderr.on('data', (d) => (err += d))
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited ${code}: ${err}`))
      else resolve(out.split('\n').filter((l) => l.length > 0))
    })
  })
}

test('kill -9 mid-batch: every acknowledged write is there, nothing is half-written, balances match the journal', async () => {
  const path = join(dir, 'ledger.db')
  const acknowledged: string[] = []
  for (const after of [300, 1100, 2500]) acknowledged.push(...(await writeThenKill(path, after)))
  const db = new Database(path)
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  const ids = new Set(db.prepare('SELECT id FROM transfers').pluck().all() as string[])
  // the last line may be cut by the kill; every complete one must be stored
  for (const id of acknowledged.slice(0, -1)) expect(ids.has(id), id).toBe(true)
  // every transfer has its journal entries (2 legs → 3 accounts), and no entry is orphaned
  const partial = db
    .prepare(
      'SELECT t.id FROM transfers t LEFT JOIN entries e ON e.seq = t.seq GROUP BY t.seq HAVING count(e.seq) <> 3',
    )
    .all()
  expect(partial).toEqual([])
  expect(
    db
      .prepare(
        'SELECT count(*) FROM entries e LEFT JOIN transfers t ON t.seq = e.seq WHERE t.seq IS NULL',
      )
      .pluck()
      .get(),
  ).toBe(0)
  // running balances equal the journal's sums, and debits equal credits
  const sums = new Map<string, bigint[]>()
  for (const e of db
    .prepare('SELECT account_id, debits_posted, credits_posted FROM entries')
    .iterate() as Iterable<Record<string, string>>) {
    const s = sums.get(e.account_id!) ?? [0n, 0n]
    sums.set(e.account_id!, [s[0]! + BigInt(e.debits_posted!), s[1]! + BigInt(e.credits_posted!)])
  }
  let debits = 0n
  let credits = 0n
  for (const a of db.prepare('SELECT * FROM accounts').all() as Record<string, string>[]) {
    const [d, c] = sums.get(a.id!) ?? [0n, 0n]
    expect([BigInt(a.debits_posted!), BigInt(a.credits_posted!)], a.id).toEqual([d, c])
    debits += d!
    credits += c!
  }
  expect(debits).toBe(credits)
  expect(debits).toBeGreaterThan(0n)
  db.close()
  // and the store opens and writes again
  const again = openSqliteLedger(path)
  expect(
    (
      await again.write({
        id: 'after-crash',
        legs: [{ debit: 'clearing', credit: 'fees', amount: 1n }],
      })
    ).outcome,
  ).toBe('committed')
  await again.close()
}, 120_000)

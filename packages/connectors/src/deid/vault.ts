import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { ConnectorsError } from '../errors.js'
import { ownFolder } from './standardFile.js'

export type PseudonymKind = 'uid' | 'patient-id' | 'patient-name' | 'accession'

/** Maps pseudonyms back to originals so results computed remotely can be re-identified. */
export type PseudonymVault = {
  /** The secret that keys the pseudonyms (kept in the vault, never in the de-identified data). */
  readonly key: Uint8Array
  record(kind: PseudonymKind, pseudonym: string, original: string): void
  /** Writes what `record` buffered, in one transaction (de-identification calls it per file). */
  flush?(): void
  original(pseudonym: string): { kind: PseudonymKind; original: string } | undefined
  /** Number of mappings stored. */
  size(): number
  close(): void
}

/**
 * better-sqlite3, resolved from this module, or from this package's folder when bundled into
 * another package's build (the CLI's `btt deid`), which need not depend on it.
 */
function loadSqlite(): (p: string) => Db {
  let req = createRequire(import.meta.url)
  try {
    req.resolve('better-sqlite3')
  } catch (error) {
    const folder = ownFolder()
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !folder) throw error
    req = createRequire(join(folder, 'package.json'))
  }
  const Database: new (p: string, o?: { nativeBinding?: string }) => Db = req('better-sqlite3')
  // its addon where its build puts it: the `bindings` package would search a dozen places first
  const addon = join(req.resolve('better-sqlite3'), '../../build/Release/better_sqlite3.node')
  const options = existsSync(addon) ? { nativeBinding: addon } : {}
  return (p) => new Database(p, options)
}

type Db = {
  exec(sql: string): void
  prepare(sql: string): { run(...a: unknown[]): unknown; get(...a: unknown[]): unknown }
  transaction<A extends unknown[]>(fn: (...a: A) => void): (...a: A) => void
  close(): void
  pragma(p: string): unknown
}

/**
 * Opens (or creates) a pseudonym vault in an embedded SQLite database (better-sqlite3). The first
 * open creates a random 256-bit key, stored in the vault: the same vault gives the same pseudonyms
 * for the same originals, so a study keeps consistent UIDs across files and runs.
 *
 * @param path - database file, or `:memory:`.
 */
export function openVault(path: string): PseudonymVault {
  let db: Db
  try {
    db = loadSqlite()(path)
    db.pragma('journal_mode = WAL')
    // WAL + NORMAL: a commit survives the process being killed; no fsync per file
    db.pragma('synchronous = NORMAL')
    db.exec(`CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
             CREATE TABLE IF NOT EXISTS pseudonyms (
               pseudonym TEXT PRIMARY KEY, kind TEXT NOT NULL, original TEXT NOT NULL, created INTEGER NOT NULL)`)
  } catch (error) {
    throw new ConnectorsError(
      'VAULT_UNAVAILABLE',
      `Pseudonym vault: cannot open ${path}: ${(error as Error).message}.`,
      { cause: error, details: { path } },
    )
  }
  let key = (
    db.prepare('SELECT value FROM meta WHERE name = ?').get('key') as
      | { value: Uint8Array }
      | undefined
  )?.value
  if (!key) {
    key = randomBytes(32)
    db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)').run('key', key)
  }
  const insert = db.prepare(
    'INSERT OR IGNORE INTO pseudonyms (pseudonym, kind, original, created) VALUES (?, ?, ?, ?)',
  )
  const find = db.prepare('SELECT kind, original FROM pseudonyms WHERE pseudonym = ?')
  const count = db.prepare('SELECT count(*) AS n FROM pseudonyms')
  const known = new Set<string>()
  let pending: [string, PseudonymKind, string, number][] = [] // pseudonym, kind, original, created
  const write = db.transaction((rows: [string, PseudonymKind, string, number][]) => {
    for (const r of rows) insert.run(...r)
  })
  const flush = () => {
    if (!pending.length) return
    const rows = pending
    pending = []
    try {
      write(rows)
    } catch (error) {
      throw new ConnectorsError(
        'VAULT_UNAVAILABLE',
        `Pseudonym vault: cannot write to ${path}: ${(error as Error).message}.`,
        { cause: error, details: { path } },
      )
    }
  }
  return {
    key: new Uint8Array(key),
    record(kind, pseudonym, original) {
      if (known.has(pseudonym)) return
      pending.push([pseudonym, kind, original, Math.floor(Date.now() / 1000)])
      known.add(pseudonym)
    },
    flush,
    original(pseudonym) {
      flush()
      return find.get(pseudonym) as { kind: PseudonymKind; original: string } | undefined
    },
    size: () => {
      flush()
      return (count.get() as { n: number }).n
    },
    close: () => {
      flush()
      db.close()
    },
  }
}

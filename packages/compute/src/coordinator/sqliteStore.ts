import { join } from 'node:path'
import Database from 'better-sqlite3'
import { ComputeError } from '../errors.js'
import { makeFolder } from '../files/makeFolder.js'
import {
  type CoordinatorStore,
  freshStats,
  type JobRecord,
  type NodeRecord,
  type NodeStats,
} from './types.js'

const SCHEMA = `
create table if not exists keys (hash text primary key, clinic text not null);
create table if not exists challenges (challenge text primary key, expires_at integer not null);
create table if not exists nodes (address text primary key, json text not null);
create table if not exists stats (address text primary key, json text not null);
create table if not exists leases (nonce text primary key, job_id text not null, expires_at integer not null, closed integer not null default 0);
create table if not exists jobs (job_id text primary key, json text not null, output blob, finished_at integer not null);
`

/** `PRAGMA application_id` of a coordinator database: 'BTTC'. */
const storeApplicationId = 0x42545443
const storeTables = ['challenges', 'jobs', 'keys', 'leases', 'nodes', 'stats']

/**
 * The embedded store: one SQLite file in `dir` (WAL), or in memory when `dir` is undefined.
 * Every check-and-set is one statement or one transaction, so two processes on one file agree.
 * The folder is made one level at a time (`COMPUTE_STORE_FAILED`); a database holding another
 * program's tables is refused untouched (`COMPUTE_NOT_A_STORE`).
 */
export function openSqliteStore(dir?: string): CoordinatorStore {
  const file = dir ? join(dir, 'coordinator.sqlite') : ':memory:'
  const failed = (reason: string, cause?: unknown) =>
    new ComputeError('COMPUTE_STORE_FAILED', `${dir}: cannot open the store: ${reason}.`, {
      cause,
      details: { path: dir ?? null, errno: (cause as NodeJS.ErrnoException)?.code ?? null },
    })
  if (dir) makeFolder(dir, failed)
  let db: Database.Database
  try {
    db = new Database(file)
    claimStore(db, file)
    db.pragma('journal_mode = WAL')
    db.pragma('busy_timeout = 5000')
    db.exec(SCHEMA)
  } catch (error) {
    if (error instanceof ComputeError) throw error
    throw failed((error as Error).message, error)
  }
  const q = {
    addKey: db.prepare('insert into keys (hash, clinic) values (?, ?)'),
    clinic: db.prepare<[string], { clinic: string }>('select clinic from keys where hash = ?'),
    putChallenge: db.prepare('insert or replace into challenges values (?, ?)'),
    takeChallenge: db.prepare('delete from challenges where challenge = ? and expires_at >= ?'),
    putNode: db.prepare('insert or replace into nodes values (?, ?)'),
    nodes: db.prepare<[], { json: string }>('select json from nodes order by address'),
    stats: db.prepare<[string], { json: string }>('select json from stats where address = ?'),
    allStats: db.prepare<[], { address: string; json: string }>('select address, json from stats'),
    putStats: db.prepare('insert or replace into stats values (?, ?)'),
    openLease: db.prepare('insert into leases (nonce, job_id, expires_at) values (?, ?, ?)'),
    pruneLeases: db.prepare('delete from leases where expires_at < ?'),
    pruneChallenges: db.prepare('delete from challenges where expires_at < ?'),
    closeLease: db.prepare(
      'update leases set closed = 1 where nonce = ? and job_id = ? and closed = 0 and expires_at >= ?',
    ),
    finish: db.prepare('insert or ignore into jobs values (?, ?, ?, ?)'),
    job: db.prepare<[string], { json: string; output: Buffer | null }>(
      'select json, output from jobs where job_id = ?',
    ),
    jobs: db.prepare<[], { json: string }>('select json from jobs order by job_id'),
  }
  let opened = 0
  const stats = (address: string): NodeStats => {
    const row = q.stats.get(address)
    return row ? (JSON.parse(row.json) as NodeStats) : freshStats()
  }
  const bump = db.transaction((address: string, delta: Partial<NodeStats>) => {
    const s = stats(address)
    for (const [k, v] of Object.entries(delta) as [keyof NodeStats, number][]) s[k] += v
    s.reputation = Math.max(0, Math.min(100, s.reputation))
    q.putStats.run(address, JSON.stringify(s))
  })
  return {
    addKey: async (hash, clinic) => void q.addKey.run(hash, clinic),
    clinicOf: async (hash) => q.clinic.get(hash)?.clinic,
    putChallenge: async (c, at) => void q.putChallenge.run(c, at),
    takeChallenge: async (c, now) => q.takeChallenge.run(c, now).changes === 1,
    putNode: async (n: NodeRecord) =>
      void q.putNode.run(n.address.toLowerCase(), JSON.stringify(n)),
    nodes: async () => q.nodes.all().map((r) => JSON.parse(r.json) as NodeRecord),
    stats: async (address) => stats(address.toLowerCase()),
    allStats: async () =>
      new Map(q.allStats.all().map((r) => [r.address, JSON.parse(r.json) as NodeStats])),
    bump: async (address, delta) => bump(address.toLowerCase(), delta),
    openLease: async (nonce, jobId, at) => {
      // leases and challenges an hour past their expiry can never be used: dropped now and then
      if (++opened % 1000 === 0) {
        q.pruneLeases.run(Date.now() - 3_600_000)
        q.pruneChallenges.run(Date.now() - 3_600_000)
      }
      q.openLease.run(nonce, jobId, at)
    },
    closeLease: async (nonce, jobId, now) => q.closeLease.run(nonce, jobId, now).changes === 1,
    finishJob: async (record: JobRecord, output?: Buffer) =>
      q.finish.run(record.jobId, JSON.stringify(record), output ?? null, record.finishedAt)
        .changes === 1,
    job: async (jobId) => {
      const row = q.job.get(jobId)
      if (!row) return undefined
      const record = JSON.parse(row.json) as JobRecord
      return row.output ? { record, output: row.output } : { record }
    },
    jobs: async () => q.jobs.all().map((r) => JSON.parse(r.json) as JobRecord),
    close: async () => void db.close(),
  }
}

/** Marks a new or adopted coordinator database; refuses one that holds other tables. */
function claimStore(db: Database.Database, file: string): void {
  const id = db.pragma('application_id', { simple: true }) as number
  if (id === storeApplicationId) return
  const tables = db
    .prepare<[], { name: string }>(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
    )
    .all()
    .map((t) => t.name)
  if (id !== 0 || tables.some((t) => !storeTables.includes(t))) {
    db.close()
    throw new ComputeError(
      'COMPUTE_NOT_A_STORE',
      `${file} is not a coordinator database (it holds other data); it was left untouched.`,
      { details: { file, applicationId: id, tables: tables.slice(0, 20) } },
    )
  }
  db.pragma(`application_id = ${storeApplicationId}`)
}

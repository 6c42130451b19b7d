import { createRequire } from 'node:module'
import { parseWithCode } from '@btt/core'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'

export type JobRecord = {
  studyInstanceUid: string
  /** Sorted SOP Instance UIDs analysed, joined: a study that gains instances is a new job. */
  instances: string
  status: 'done' | 'failed'
  srSopInstanceUid: string | null
  findings: number
  /** Inference milliseconds spent (for billing). */
  inferenceMs: number
  /** Bytes analysed and returned (the study's files and the results stored back). */
  dataBytes: number
  /** What the job costs (`quoteCompute` total, minor units), when priced. */
  charge: { currency: string; total: bigint } | null
  error: string | null
  finishedAt: number
  /** The SR's Series Instance UID (a later version of the result goes into the same series). */
  srSeriesInstanceUid?: string | null
  /** The SR this job's SR supersedes (an update after late instances), if any. */
  supersedes?: string | null
}

/** The one charge of a study: made by its first successful analysis, never again. */
export type StudyCharge = {
  studyInstanceUid: string
  /** The instances of the job that made the charge. */
  instances: string
  currency: string
  total: bigint
  chargedAt: number
}

/** Columns added after the first release, with their SQL types: opened stores are migrated. */
const ADDED_COLUMNS = {
  data_bytes: 'INTEGER NOT NULL DEFAULT 0',
  charge: 'TEXT',
  currency: 'TEXT',
  sr_series_instance_uid: 'TEXT',
  supersedes: 'TEXT',
}

type Db = {
  exec(sql: string): void
  prepare(sql: string): {
    run(...a: unknown[]): unknown
    get(...a: unknown[]): unknown
    all(...a: unknown[]): unknown[]
  }
  close(): void
  pragma(p: string): unknown
  transaction<A extends unknown[], R>(fn: (...a: A) => R): (...a: A) => R
}

/** Opens (creating or migrating) the SQLite file: jobs, and one charge per study. */
function openDatabase(path: string): Db {
  try {
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (p: string) => Db
    const db = new Database(path)
    db.pragma('journal_mode = WAL')
    db.pragma('busy_timeout = 5000')
    db.exec(`CREATE TABLE IF NOT EXISTS jobs (
      study_instance_uid TEXT NOT NULL, instances TEXT NOT NULL, status TEXT NOT NULL,
      sr_sop_instance_uid TEXT, findings INTEGER NOT NULL, inference_ms REAL NOT NULL,
      error TEXT, finished_at INTEGER NOT NULL,
      PRIMARY KEY (study_instance_uid, instances))`)
    const have = new Set(
      (db.prepare('PRAGMA table_info(jobs)').all() as { name: string }[]).map((c) => c.name),
    )
    for (const [column, type] of Object.entries(ADDED_COLUMNS))
      if (!have.has(column)) db.exec(`ALTER TABLE jobs ADD COLUMN ${column} ${type}`)
    db.exec(`CREATE TABLE IF NOT EXISTS charges (
      study_instance_uid TEXT PRIMARY KEY, instances TEXT NOT NULL, currency TEXT NOT NULL,
      total TEXT NOT NULL, charged_at INTEGER NOT NULL)`)
    // a store from before charges were keyed by study: its first charge of each study stands
    db.exec(`INSERT OR IGNORE INTO charges
      SELECT study_instance_uid, instances, currency, charge, finished_at FROM jobs
      WHERE status = 'done' AND charge IS NOT NULL ORDER BY finished_at`)
    return db
  } catch (error) {
    throw new ConnectorsError(
      'JOB_STORE_UNAVAILABLE',
      `Cannot open the job store ${path}: ${(error as Error).message}`,
      { cause: error, details: { path } },
    )
  }
}

function jobOf(r: Record<string, unknown>): JobRecord {
  return {
    studyInstanceUid: r.study_instance_uid as string,
    instances: r.instances as string,
    status: r.status as 'done' | 'failed',
    srSopInstanceUid: r.sr_sop_instance_uid as string | null,
    findings: r.findings as number,
    inferenceMs: r.inference_ms as number,
    dataBytes: r.data_bytes as number,
    charge:
      r.charge === null
        ? null
        : { currency: r.currency as string, total: BigInt(r.charge as string) },
    error: r.error as string | null,
    finishedAt: r.finished_at as number,
    srSeriesInstanceUid: (r.sr_series_instance_uid as string | null) ?? null,
    supersedes: (r.supersedes as string | null) ?? null,
  }
}

/**
 * Records a job; a done job with a charge charges its study unless something charged it before.
 * The charge and the job row are written in one transaction, so two writers cannot both charge a
 * study, and a job another writer finished first keeps its record.
 */
function recorder(db: Db) {
  const find = db.prepare('SELECT status FROM jobs WHERE study_instance_uid = ? AND instances = ?')
  const charge = db.prepare('INSERT OR IGNORE INTO charges VALUES (?, ?, ?, ?, ?)')
  const insert = db.prepare(
    'INSERT OR REPLACE INTO jobs (study_instance_uid, instances, status, sr_sop_instance_uid, findings, inference_ms, data_bytes, charge, currency, error, finished_at, sr_series_instance_uid, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
  return db.transaction((j: JobRecord): { charged: boolean } => {
    // another writer finished this very job first: its record (and charge) stands
    if (
      (find.get(j.studyInstanceUid, j.instances) as { status: string } | undefined)?.status ===
      'done'
    )
      return { charged: false }
    const charged = Boolean(
      j.status === 'done' &&
        j.charge &&
        (
          charge.run(
            j.studyInstanceUid,
            j.instances,
            j.charge.currency,
            j.charge.total.toString(),
            j.finishedAt,
          ) as { changes: number }
        ).changes === 1,
    )
    const kept = charged ? j.charge : null
    insert.run(
      j.studyInstanceUid,
      j.instances,
      j.status,
      j.srSopInstanceUid,
      j.findings,
      j.inferenceMs,
      j.dataBytes,
      kept ? kept.total.toString() : null,
      kept?.currency ?? null,
      j.error,
      j.finishedAt,
      j.srSeriesInstanceUid ?? null,
      j.supersedes ?? null,
    )
    return { charged }
  })
}

/**
 * Where the PACS flow records each analysis (embedded SQLite): which studies, with which
 * instances, were analysed, the SR produced, the compute and data spent, and the study's charge
 * (for billing). A study is charged once: the first successful job records the charge, keyed by
 * the study, and any later job for it (late instances, a second process on the same store) is
 * recorded without one. A restart reads it back, so a study is never analysed twice.
 *
 * @param path - the SQLite file (created when missing; older stores are migrated in place).
 * @returns the store.
 * @throws {ConnectorsError} `JOB_STORE_UNAVAILABLE` when it cannot be opened.
 * @example
 * ```ts
 * const jobs = openJobStore('btt-jobs.sqlite')
 * jobs.charges() // one row per study charged
 * ```
 */
export function openJobStore(path: string) {
  parseWithCode(
    z.string().min(1),
    path,
    'job store path',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const db = openDatabase(path)
  const find = db.prepare('SELECT status FROM jobs WHERE study_instance_uid = ? AND instances = ?')
  const latest = db.prepare(
    "SELECT * FROM jobs WHERE study_instance_uid = ? AND status = 'done' ORDER BY finished_at DESC, rowid DESC LIMIT 1",
  )
  const versions = db.prepare(
    "SELECT COUNT(*) AS n FROM jobs WHERE study_instance_uid = ? AND status = 'done'",
  )
  const all = db.prepare('SELECT * FROM jobs ORDER BY finished_at, rowid')
  const allCharges = db.prepare('SELECT * FROM charges ORDER BY charged_at')
  const record = recorder(db)
  return {
    /** Whether this exact set of instances of the study was analysed successfully. */
    done: (study: string, instances: string) =>
      (find.get(study, instances) as { status: string } | undefined)?.status === 'done',
    /**
     * Records a job. A done job with a charge charges its study only if nothing charged it
     * before; otherwise the job is kept without a charge. Resolves whether it charged.
     */
    record: (j: JobRecord): { charged: boolean } => record(j),
    /** The study's latest successful job (its current result), if any. */
    latestDone: (study: string): JobRecord | undefined => {
      const row = latest.get(study) as Record<string, unknown> | undefined
      return row && jobOf(row)
    },
    /** How many successful jobs (result versions) the study has. */
    versions: (study: string) => (versions.get(study) as { n: number }).n,
    /** Every job, oldest first. */
    jobs: (): JobRecord[] => (all.all() as Record<string, unknown>[]).map(jobOf),
    /** Every charge, one per study, oldest first. */
    charges: (): StudyCharge[] =>
      (allCharges.all() as Record<string, unknown>[]).map((r) => ({
        studyInstanceUid: r.study_instance_uid as string,
        instances: r.instances as string,
        currency: r.currency as string,
        total: BigInt(r.total as string),
        chargedAt: r.charged_at as number,
      })),
    close: () => db.close(),
  }
}

export type JobStore = ReturnType<typeof openJobStore>

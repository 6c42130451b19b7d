import { createRequire } from 'node:module'
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
}

/** Columns added after the first release, with their SQL types: opened stores are migrated. */
const ADDED_COLUMNS = { data_bytes: 'INTEGER NOT NULL DEFAULT 0', charge: 'TEXT', currency: 'TEXT' }

type Db = {
  exec(sql: string): void
  prepare(sql: string): {
    run(...a: unknown[]): unknown
    get(...a: unknown[]): unknown
    all(...a: unknown[]): unknown[]
  }
  close(): void
  pragma(p: string): unknown
}

/**
 * Where the PACS flow records each analysis (embedded SQLite): which studies, with which instances,
 * were analysed, the SR produced, the compute and data spent and what the job costs (for billing). A restart reads it back, so a
 * study is never analysed twice.
 */
export function openJobStore(path: string) {
  let db: Db
  try {
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (p: string) => Db
    db = new Database(path)
    db.pragma('journal_mode = WAL')
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
  } catch (error) {
    throw new ConnectorsError(
      'JOB_STORE_UNAVAILABLE',
      `Cannot open the job store ${path}: ${(error as Error).message}`,
      { cause: error, details: { path } },
    )
  }
  const find = db.prepare('SELECT status FROM jobs WHERE study_instance_uid = ? AND instances = ?')
  const insert = db.prepare(
    'INSERT OR REPLACE INTO jobs (study_instance_uid, instances, status, sr_sop_instance_uid, findings, inference_ms, data_bytes, charge, currency, error, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const all = db.prepare('SELECT * FROM jobs ORDER BY finished_at')
  return {
    /** Whether this exact set of instances of the study was analysed successfully. */
    done: (study: string, instances: string) =>
      (find.get(study, instances) as { status: string } | undefined)?.status === 'done',
    record: (j: JobRecord) =>
      insert.run(
        j.studyInstanceUid,
        j.instances,
        j.status,
        j.srSopInstanceUid,
        j.findings,
        j.inferenceMs,
        j.dataBytes,
        j.charge ? j.charge.total.toString() : null,
        j.charge?.currency ?? null,
        j.error,
        j.finishedAt,
      ),
    /** Every job, oldest first. */
    jobs: (): JobRecord[] =>
      (all.all() as Record<string, unknown>[]).map((r) => ({
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
      })),
    close: () => db.close(),
  }
}

export type JobStore = ReturnType<typeof openJobStore>

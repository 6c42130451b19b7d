import { createRequire } from 'node:module'
import { JobStoreError } from '../errors.js'

export type JobRecord = {
  studyInstanceUid: string
  /** Sorted SOP Instance UIDs analysed, joined: a study that gains instances is a new job. */
  instances: string
  status: 'done' | 'failed'
  srSopInstanceUid: string | null
  findings: number
  /** GPU milliseconds spent (for billing). */
  inferenceMs: number
  error: string | null
  finishedAt: number
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
}

/**
 * Where the PACS flow records each analysis (embedded SQLite): which studies, with which instances,
 * were analysed, the SR produced, and the compute spent for billing. A restart reads it back, so a
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
  } catch (error) {
    throw new JobStoreError(`Cannot open the job store ${path}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  const find = db.prepare('SELECT status FROM jobs WHERE study_instance_uid = ? AND instances = ?')
  const insert = db.prepare(
    'INSERT OR REPLACE INTO jobs (study_instance_uid, instances, status, sr_sop_instance_uid, findings, inference_ms, error, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
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
        j.error,
        j.finishedAt,
      ),
    jobs: () =>
      (all.all() as Record<string, unknown>[]).map((r) => ({
        studyInstanceUid: r.study_instance_uid as string,
        instances: r.instances as string,
        status: r.status as 'done' | 'failed',
        srSopInstanceUid: r.sr_sop_instance_uid as string | null,
        findings: r.findings as number,
        inferenceMs: r.inference_ms as number,
        error: r.error as string | null,
        finishedAt: r.finished_at as number,
      })),
    close: () => db.close(),
  }
}

export type JobStore = ReturnType<typeof openJobStore>

import Database from 'better-sqlite3'
import { ConnectorsError } from '../errors.js'

export type AwardRow = {
  eventId: string
  patient: string
  month: number
  points: number
  tokens: bigint
  kind: string
  status: string
}

/** The intake's durable state: awards by event id, checkpoints and subscription event counters. */
export type IntakeStore = {
  award(eventId: string): AwardRow | undefined
  insertAward(row: AwardRow): void
  /** Points of a patient: lifetime, and in one month. */
  sums(patient: string, month: number): { lifetime: number; month: number }
  tokensAwarded(): bigint
  get(key: string): string | undefined
  set(key: string, value: string): void
  close(): void
}

/**
 * Opens the intake's SQLite state (WAL, synchronous=FULL): one row per awarded event id (the
 * primary key makes an event pay once), the polling checkpoint and each subscription's counter.
 * The file is marked (`application_id`); one holding other tables is refused untouched
 * (`INCENTIVE_NOT_INTAKE_STATE`).
 */
export function openIntakeStore(path: string): IntakeStore {
  let db: Database.Database
  try {
    db = new Database(path)
    claimIntakeState(db, path)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.exec(`CREATE TABLE IF NOT EXISTS awards (event_id TEXT PRIMARY KEY, patient TEXT NOT NULL, month INTEGER NOT NULL,
      points INTEGER NOT NULL, tokens TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS awards_patient ON awards (patient, month);
      CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);`)
  } catch (cause) {
    if (cause instanceof ConnectorsError) throw cause
    throw new ConnectorsError(
      'INCENTIVE_LEDGER_FAILED',
      `Cannot open the intake state at ${path}.`,
      { cause, details: { path } },
    )
  }
  const getAward = db.prepare('SELECT * FROM awards WHERE event_id = ?')
  const insert = db.prepare('INSERT INTO awards VALUES (?, ?, ?, ?, ?, ?, ?)')
  const lifetime = db.prepare('SELECT COALESCE(SUM(points), 0) AS n FROM awards WHERE patient = ?')
  const monthly = db.prepare(
    'SELECT COALESCE(SUM(points), 0) AS n FROM awards WHERE patient = ? AND month = ?',
  )
  const tokens = db.prepare('SELECT tokens FROM awards')
  const getState = db.prepare('SELECT value FROM state WHERE key = ?')
  const setState = db.prepare(
    'INSERT INTO state VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )
  type Row = {
    event_id: string
    patient: string
    month: number
    points: number
    tokens: string
    kind: string
    status: string
  }
  return {
    award(eventId) {
      const r = getAward.get(eventId) as Row | undefined
      return (
        r && {
          eventId: r.event_id,
          patient: r.patient,
          month: r.month,
          points: r.points,
          tokens: BigInt(r.tokens),
          kind: r.kind,
          status: r.status,
        }
      )
    },
    insertAward: (a) =>
      void insert.run(
        a.eventId,
        a.patient,
        a.month,
        a.points,
        a.tokens.toString(),
        a.kind,
        a.status,
      ),
    sums: (patient, month) => ({
      lifetime: (lifetime.get(patient) as { n: number }).n,
      month: (monthly.get(patient, month) as { n: number }).n,
    }),
    tokensAwarded: () =>
      (tokens.all() as { tokens: string }[]).reduce((s, r) => s + BigInt(r.tokens), 0n),
    get: (key) => (getState.get(key) as { value: string } | undefined)?.value,
    set: (key, value) => void setState.run(key, value),
    close: () => db.close(),
  }
}

/** `PRAGMA application_id` of the intake state: 'BTTI'. */
const intakeApplicationId = 0x42545449

/** Marks a new (or unmarked, intake-only) state file; refuses one that holds other tables. */
function claimIntakeState(db: Database.Database, path: string): void {
  const id = db.pragma('application_id', { simple: true }) as number
  if (id === intakeApplicationId) return
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .all()
    .map((t) => t.name)
  if (id !== 0 || tables.some((t) => t !== 'awards' && t !== 'state')) {
    db.close()
    throw new ConnectorsError(
      'INCENTIVE_NOT_INTAKE_STATE',
      `${path} is not the intake's state (it holds other data); it was left untouched.`,
      { details: { path, applicationId: id, tables: tables.slice(0, 20) } },
    )
  }
  db.pragma(`application_id = ${intakeApplicationId}`)
}

import type Database from 'better-sqlite3'
import {
  type AccountRow,
  decodeAccount,
  decodeTransfer,
  encodeFlags,
  encodeLegs,
  type TransferRow,
} from '../codec.js'
import { applyUnit, type Changes, emptyChanges, keysOf, type Snapshot } from '../engine.js'
import type { WriteResult } from '../types.js'
import { type CommitUnit, type IdempotencyRecord, idemKey } from '../unit.js'

type Db = Database.Database

/** Prepared statements of the write path, compiled once per database. */
function prepareBatch(db: Db) {
  const s = {
    account: db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE id = ?'),
    transfer: db.prepare<[string], TransferRow>('SELECT * FROM transfers WHERE id = ?'),
    resolvedBy: db.prepare<[string], { id: string }>(
      'SELECT id FROM transfers WHERE pending_id = ?',
    ),
    payment: db.prepare<[string], { version: number }>('SELECT version FROM payments WHERE id = ?'),
    idem: db.prepare<[string, string], Record<string, string | number>>(
      'SELECT * FROM idempotency WHERE merchant_id = ? AND key = ?',
    ),
    last: db.prepare<[], { seq: number; timestamp: number }>(
      'SELECT seq, timestamp FROM transfers ORDER BY seq DESC LIMIT 1',
    ),
    insertAccount: db.prepare(
      `INSERT INTO accounts VALUES (@id, @currency, @flags, '0', '0', '0', '0', @timestamp)`,
    ),
    updateAccount: db.prepare(
      `UPDATE accounts SET debits_pending = @dp, debits_posted = @dP, credits_pending = @cp,
       credits_posted = @cP WHERE id = @id`,
    ),
    insertTransfer: db.prepare(
      `INSERT INTO transfers VALUES (@seq, @id, @type, @pendingId, @legs, @metadata, @timestamp, @hash)`,
    ),
    insertEntry: db.prepare(
      `INSERT INTO entries VALUES (@accountId, @seq, @transferId, @timestamp, @dp, @dP, @cp, @cP)`,
    ),
    insertPayment: db.prepare(`INSERT INTO payments VALUES (@id, @merchantId, @version, @data)`),
    updatePayment: db.prepare(
      `UPDATE payments SET version = @version, data = @data WHERE id = @id`,
    ),
    insertIdem: db.prepare(
      `INSERT INTO idempotency VALUES (@merchantId, @key, @requestHash, @response, @createdAt, @expiresAt)`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO outbox (id, object_id, object_seq, type, payload, created_at, next_attempt_at)
       VALUES (@id, @objectId, @objectSeq, @type, @payload, @createdAt, @createdAt)`,
    ),
  }
  return s
}

type BatchStatements = ReturnType<typeof prepareBatch>

/** Reads every row the units can touch. */
function loadSnapshot(s: BatchStatements, units: CommitUnit[]): Snapshot {
  const keys = keysOf(units)
  const last = s.last.get()
  const snap: Snapshot = {
    accounts: new Map(),
    transfers: new Map(),
    resolved: new Set(),
    paymentVersions: new Map(),
    idempotency: new Map(),
    lastSeq: last?.seq ?? 0,
    lastTimestamp: last?.timestamp ?? 0,
  }
  for (const id of keys.transferIds) {
    const row = s.transfer.get(id)
    if (!row) continue
    const t = decodeTransfer(row)
    snap.transfers.set(id, t)
    if (t.type === 'pending') {
      if (s.resolvedBy.get(id)) snap.resolved.add(id)
      for (const leg of t.legs) keys.accountIds.add(leg.debit).add(leg.credit)
    }
  }
  for (const id of keys.accountIds) {
    const row = s.account.get(id)
    if (row) snap.accounts.set(id, decodeAccount(row))
  }
  for (const id of keys.paymentIds) {
    const row = s.payment.get(id)
    if (row) snap.paymentVersions.set(id, row.version)
  }
  for (const { merchantId, key } of keys.idem) {
    const row = s.idem.get(merchantId, key)
    if (row) snap.idempotency.set(idemKey(merchantId, key), row as unknown as IdempotencyRecord)
  }
  return snap
}

/** Writes a batch's changes (inside the caller's transaction). */
function persistChanges(s: BatchStatements, snap: Snapshot, c: Changes) {
  for (const a of c.newAccounts)
    s.insertAccount.run({
      id: a.id,
      currency: a.currency,
      flags: encodeFlags(a.flags),
      timestamp: a.timestamp,
    })
  for (const id of c.touchedAccounts) {
    const a = snap.accounts.get(id)!
    s.updateAccount.run({
      id,
      dp: a.debitsPending.toString(),
      dP: a.debitsPosted.toString(),
      cp: a.creditsPending.toString(),
      cP: a.creditsPosted.toString(),
    })
  }
  for (const t of c.transfers)
    s.insertTransfer.run({
      seq: t.seq,
      id: t.id,
      type: t.type,
      pendingId: t.pendingId,
      legs: encodeLegs(t.legs),
      metadata: JSON.stringify(t.metadata),
      timestamp: t.timestamp,
      hash: t.hash,
    })
  for (const e of c.entries)
    s.insertEntry.run({
      accountId: e.accountId,
      seq: e.seq,
      transferId: e.transferId,
      timestamp: e.timestamp,
      dp: e.debitsPending.toString(),
      dP: e.debitsPosted.toString(),
      cp: e.creditsPending.toString(),
      cP: e.creditsPosted.toString(),
    })
  for (const p of c.payments) (p.created ? s.insertPayment : s.updatePayment).run(p)
  for (const r of c.idempotency) s.insertIdem.run(r)
  for (const e of c.events) s.insertEvent.run(e)
}

/**
 * The batch writer of a database: one transaction for the whole batch, each unit answered on
 * its own.
 */
export function createSqliteBatch(
  db: Db,
  now: () => number,
): (units: CommitUnit[]) => WriteResult[] {
  const s = prepareBatch(db)
  const run = db.transaction((units: CommitUnit[]) => {
    const snap = loadSnapshot(s, units)
    const changes = emptyChanges()
    const results = units.map((u) => applyUnit(snap, changes, u, now()))
    persistChanges(s, snap, changes)
    return results
  })
  return (units) => run.immediate(units)
}

import type pg from 'pg'
import { decodeAccount, decodeTransfer, encodeFlags, encodeLegs } from '../ledger/codec.js'
import { applyUnit, type Changes, emptyChanges, keysOf, type Snapshot } from '../ledger/engine.js'
import type { WriteResult } from '../ledger/types.js'
import { type CommitUnit, type IdempotencyRecord, idemKey } from '../ledger/unit.js'

/** Serialises writers across processes: seq and timestamps stay strictly increasing. */
const WRITER_LOCK = 0x5041_5946 // 'PAYF'

async function loadSnapshot(c: pg.PoolClient, units: CommitUnit[]): Promise<Snapshot> {
  const keys = keysOf(units)
  const last = await c.query('SELECT seq, timestamp FROM payfi_transfers ORDER BY seq DESC LIMIT 1')
  const snap: Snapshot = {
    accounts: new Map(),
    transfers: new Map(),
    resolved: new Set(),
    paymentVersions: new Map(),
    idempotency: new Map(),
    lastSeq: Number(last.rows[0]?.seq ?? 0),
    lastTimestamp: Number(last.rows[0]?.timestamp ?? 0),
  }
  const ids = [...keys.transferIds]
  const transfers = await c.query('SELECT * FROM payfi_transfers WHERE id = ANY($1)', [ids])
  const pendingIds: string[] = []
  for (const row of transfers.rows) {
    const t = decodeTransfer(row)
    snap.transfers.set(t.id, t)
    if (t.type === 'pending') {
      pendingIds.push(t.id)
      for (const leg of t.legs) keys.accountIds.add(leg.debit).add(leg.credit)
    }
  }
  if (pendingIds.length) {
    const r = await c.query('SELECT pending_id FROM payfi_transfers WHERE pending_id = ANY($1)', [
      pendingIds,
    ])
    for (const row of r.rows) snap.resolved.add(row.pending_id)
  }
  const accounts = await c.query('SELECT * FROM payfi_accounts WHERE id = ANY($1)', [
    [...keys.accountIds],
  ])
  for (const row of accounts.rows) snap.accounts.set(row.id, decodeAccount(row))
  if (keys.paymentIds.size) {
    const r = await c.query('SELECT id, version FROM payfi_payments WHERE id = ANY($1)', [
      [...keys.paymentIds],
    ])
    for (const row of r.rows) snap.paymentVersions.set(row.id, row.version)
  }
  if (keys.idem.length) {
    const r = await c.query(
      `SELECT i.merchant_id, i.key FROM payfi_idempotency i
       JOIN unnest($1::text[], $2::text[]) AS u(m, k) ON i.merchant_id = u.m AND i.key = u.k`,
      [keys.idem.map((k) => k.merchantId), keys.idem.map((k) => k.key)],
    )
    for (const row of r.rows)
      snap.idempotency.set(idemKey(row.merchant_id, row.key), row as unknown as IdempotencyRecord)
  }
  return snap
}

async function persist(c: pg.PoolClient, snap: Snapshot, ch: Changes) {
  const col = <T>(rows: T[], f: (r: T) => unknown) => rows.map(f)
  if (ch.newAccounts.length) {
    const a = ch.newAccounts
    await c.query(
      `INSERT INTO payfi_accounts SELECT id, cur, fl, 0, 0, 0, 0, ts
       FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[]) AS u(id, cur, fl, ts)`,
      [
        col(a, (x) => x.id),
        col(a, (x) => x.currency),
        col(a, (x) => encodeFlags(x.flags)),
        col(a, (x) => x.timestamp),
      ],
    )
  }
  if (ch.touchedAccounts.size) {
    const a = [...ch.touchedAccounts].map((id) => snap.accounts.get(id)!)
    await c.query(
      `UPDATE payfi_accounts a SET debits_pending = u.dp, debits_posted = u.dpo,
         credits_pending = u.cp, credits_posted = u.cpo
       FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::numeric[], $5::numeric[])
         AS u(id, dp, dpo, cp, cpo) WHERE a.id = u.id`,
      [
        col(a, (x) => x.id),
        col(a, (x) => x.debitsPending.toString()),
        col(a, (x) => x.debitsPosted.toString()),
        col(a, (x) => x.creditsPending.toString()),
        col(a, (x) => x.creditsPosted.toString()),
      ],
    )
  }
  if (ch.transfers.length) {
    const t = ch.transfers
    await c.query(
      `INSERT INTO payfi_transfers SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[],
         $4::text[], $5::text[], $6::jsonb[], $7::bigint[], $8::text[])`,
      [
        col(t, (x) => x.seq),
        col(t, (x) => x.id),
        col(t, (x) => x.type),
        col(t, (x) => x.pendingId),
        col(t, (x) => encodeLegs(x.legs)),
        col(t, (x) => JSON.stringify(x.metadata)),
        col(t, (x) => x.timestamp),
        col(t, (x) => x.hash),
      ],
    )
  }
  if (ch.entries.length) {
    const e = ch.entries
    await c.query(
      `INSERT INTO payfi_entries SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[],
         $4::bigint[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[])`,
      [
        col(e, (x) => x.accountId),
        col(e, (x) => x.seq),
        col(e, (x) => x.transferId),
        col(e, (x) => x.timestamp),
        col(e, (x) => x.debitsPending.toString()),
        col(e, (x) => x.debitsPosted.toString()),
        col(e, (x) => x.creditsPending.toString()),
        col(e, (x) => x.creditsPosted.toString()),
      ],
    )
  }
  await persistRecords(c, ch)
}

async function persistRecords(c: pg.PoolClient, ch: Changes) {
  const col = <T>(rows: T[], f: (r: T) => unknown) => rows.map(f)
  const p = [...new Map(ch.payments.map((x) => [x.id, x])).values()]
  if (p.length)
    await c.query(
      `INSERT INTO payfi_payments (id, merchant_id, version, data)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])
       ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, data = EXCLUDED.data`,
      [
        col(p, (x) => x.id),
        col(p, (x) => x.merchantId),
        col(p, (x) => x.version),
        col(p, (x) => x.data),
      ],
    )
  const r = ch.idempotency
  if (r.length)
    await c.query(
      `INSERT INTO payfi_idempotency SELECT * FROM unnest($1::text[], $2::text[], $3::text[],
         $4::text[], $5::bigint[], $6::bigint[])`,
      [
        col(r, (x) => x.merchantId),
        col(r, (x) => x.key),
        col(r, (x) => x.requestHash),
        col(r, (x) => x.response),
        col(r, (x) => x.createdAt),
        col(r, (x) => x.expiresAt),
      ],
    )
  const e = ch.events
  if (e.length)
    await c.query(
      `INSERT INTO payfi_outbox (id, object_id, object_seq, type, payload, created_at, next_attempt_at)
       SELECT i, o, s, t, p, c, c FROM unnest($1::text[], $2::text[], $3::int[], $4::text[],
         $5::text[], $6::bigint[]) AS u(i, o, s, t, p, c)`,
      [
        col(e, (x) => x.id),
        col(e, (x) => x.objectId),
        col(e, (x) => x.objectSeq),
        col(e, (x) => x.type),
        col(e, (x) => x.payload),
        col(e, (x) => x.createdAt),
      ],
    )
}

/** Where a batch failed: before COMMIT was sent (nothing committed) or during it (unknown). */
export type BatchFailure =
  | { phase: 'before-commit'; cause: unknown }
  | { phase: 'commit'; cause: unknown; results: WriteResult[]; backendPid: number }

/** One transaction for the batch; each unit answered on its own. */
export async function commitPostgresBatch(
  c: pg.PoolClient,
  units: CommitUnit[],
  now: () => number,
): Promise<WriteResult[] | BatchFailure> {
  let results: WriteResult[]
  try {
    await c.query('BEGIN')
    await c.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK])
    const snap = await loadSnapshot(c, units)
    const changes = emptyChanges()
    results = units.map((u) => applyUnit(snap, changes, u, now()))
    await persist(c, snap, changes)
  } catch (cause) {
    await c.query('ROLLBACK').catch(() => undefined)
    return { phase: 'before-commit', cause }
  }
  const backendPid = (c as unknown as { processID: number }).processID
  try {
    await c.query('COMMIT')
  } catch (cause) {
    return { phase: 'commit', cause, results, backendPid }
  }
  return results
}

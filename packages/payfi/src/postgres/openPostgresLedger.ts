import pg from 'pg'
import { z } from 'zod'
import { parsePayfi, payfiError } from '../errors.js'
import { decodeAccount, decodeTransfer } from '../ledger/codec.js'
import { parseAccounts, parseId, parseQuery, parseTime, parseTransfers } from '../ledger/schemas.js'
import {
  GroupCommit,
  type OutboxRow,
  type OutboxUpdate,
  type PayfiStore,
  refuseAll,
  type StoredPayment,
} from '../ledger/store.js'
import type { Account, Balance, Transfer, TransferQuery, WriteResult } from '../ledger/types.js'
import type { CommitUnit, IdempotencyRecord } from '../ledger/unit.js'
import { commitPostgresBatch } from './postgresBatch.js'
import { postgresSchema } from './schema.js'
import { settleLostCommit } from './settleLostCommit.js'

export type OpenPostgresLedgerOptions = {
  /** `postgres://user@host:port/db`. */
  connectionString: string
  now?: () => number
  maxBatch?: number
  /** Connections for reads (writes have one more of their own). Default 4. */
  poolSize?: number
  /** Limit for each statement and for connecting, ms. Default 10 000. */
  timeoutMs?: number
}

/**
 * Opens the PostgreSQL ledger and store (creating its tables if needed). Same semantics as the
 * SQLite store; amounts are NUMERIC(78,0). Each batch is one transaction under an advisory lock,
 * so several processes may share one database. A connection lost while COMMIT is in flight
 * answers `unknown` (`PAYFI_OUTCOME_UNKNOWN`): look the transfer ids up before anything else.
 *
 * @param options - `{ connectionString, now?, maxBatch?, poolSize?, timeoutMs? }`.
 * @returns a {@link PayfiStore}.
 * @example
 * ```ts
 * import { openPostgresLedger } from '@btt/payfi/postgres'
 * const ledger = await openPostgresLedger({ connectionString: process.env.DATABASE_URL! })
 * await ledger.close()
 * ```
 */
export async function openPostgresLedger(options: OpenPostgresLedgerOptions): Promise<PayfiStore> {
  parsePayfi(
    z.strictObject({
      connectionString: z.string().min(1),
      now: z.function().optional(),
      maxBatch: z.number().int().min(1).max(100_000).optional(),
      poolSize: z.number().int().min(1).max(100).optional(),
      timeoutMs: z.number().int().min(1).max(600_000).optional(),
    }),
    options,
    'PostgreSQL ledger options',
  )
  const timeout = options.timeoutMs ?? 10_000
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
  })
  // the writer has its own connection, so queued reads never hold a batch up
  const writer = new pg.Pool({
    connectionString: options.connectionString,
    max: 1,
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
  })
  for (const p of [pool, writer]) p.on('error', () => undefined) // an idle client died; reconnects
  try {
    await pool.query(postgresSchema)
  } catch (cause) {
    await Promise.all([pool.end(), writer.end()]).catch(() => undefined)
    throw payfiError('PAYFI_STORAGE_FAILED', 'Cannot open the PostgreSQL ledger.', { cause })
  }
  return new PostgresStore(pool, writer, options)
}

class PostgresStore implements PayfiStore {
  readonly backend = 'postgres' as const
  private readonly batch: GroupCommit
  private closed = false

  constructor(
    private readonly pool: pg.Pool,
    private readonly writer: pg.Pool,
    options: OpenPostgresLedgerOptions,
  ) {
    const now = options.now ?? Date.now
    const timeout = options.timeoutMs ?? 10_000
    this.batch = new GroupCommit(async (units) => {
      let client: pg.PoolClient
      try {
        client = await this.writer.connect()
      } catch (cause) {
        return refuseAll(
          units,
          payfiError('PAYFI_STORAGE_FAILED', 'Cannot reach PostgreSQL.', { cause }),
        )
      }
      // a connection that dies mid-batch surfaces as the query's error; the event is not needed
      if (client.listenerCount('error') === 0) client.on('error', ignore)
      const result = await commitPostgresBatch(client, units, now)
      client.release(!Array.isArray(result))
      if (Array.isArray(result)) return result
      if (result.phase === 'before-commit')
        return refuseAll(
          units,
          payfiError('PAYFI_STORAGE_FAILED', 'The ledger transaction failed and was rolled back.', {
            cause: result.cause,
          }),
        )
      const settled = await settleLostCommit(
        this.pool,
        result.backendPid,
        units,
        result.results,
        timeout,
      )
      if (settled?.committed) return result.results
      if (settled)
        return refuseAll(
          units,
          payfiError(
            'PAYFI_STORAGE_FAILED',
            'The connection failed before COMMIT took effect; nothing was written.',
            {
              cause: result.cause,
            },
          ),
        )
      const error = payfiError(
        'PAYFI_OUTCOME_UNKNOWN',
        'The connection failed while committing; look the ids up.',
        {
          cause: result.cause,
          details: { transferIds: units.flatMap((u) => (u.transfers ?? []).map((t) => t.id)) },
        },
      )
      return units.map(() => ({ outcome: 'unknown' as const, error }))
    }, options.maxBatch)
  }

  private async q<R extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<R[]> {
    if (this.closed) throw payfiError('PAYFI_CLOSED', 'The ledger is closed.')
    try {
      return (await this.pool.query<R>(sql, args)).rows
    } catch (cause) {
      throw payfiError('PAYFI_STORAGE_FAILED', 'A PostgreSQL read failed.', { cause })
    }
  }

  async commit(unit: CommitUnit): Promise<WriteResult> {
    if (this.closed) throw payfiError('PAYFI_CLOSED', 'The ledger is closed.')
    return this.batch.submit(unit)
  }
  async createAccounts(accounts: Parameters<PayfiStore['createAccounts']>[0]) {
    return this.commit({ accounts: parseAccounts(accounts) })
  }
  async write(transfers: Parameters<PayfiStore['write']>[0]) {
    return this.commit({ transfers: parseTransfers(transfers) })
  }
  async getAccount(id: string): Promise<Account | null> {
    const [row] = await this.q('SELECT * FROM payfi_accounts WHERE id = $1', [parseId(id)])
    return row ? decodeAccount(row as never) : null
  }
  async lookupTransfer(id: string): Promise<Transfer | null> {
    const [row] = await this.q('SELECT * FROM payfi_transfers WHERE id = $1', [parseId(id)])
    return row ? decodeTransfer(row as never) : null
  }
  async balanceAt(accountId: string, at: number): Promise<Balance> {
    const [r] = await this.q(
      `SELECT coalesce(sum(debits_pending), 0)::text AS dp, coalesce(sum(debits_posted), 0)::text AS dpo,
         coalesce(sum(credits_pending), 0)::text AS cp, coalesce(sum(credits_posted), 0)::text AS cpo
       FROM payfi_entries WHERE account_id = $1 AND timestamp <= $2`,
      [parseId(accountId), parseTime(at)],
    )
    return {
      debitsPending: BigInt(r!.dp),
      debitsPosted: BigInt(r!.dpo),
      creditsPending: BigInt(r!.cp),
      creditsPosted: BigInt(r!.cpo),
    }
  }
  async queryTransfers(query: TransferQuery): Promise<Transfer[]> {
    const q = parseQuery(query)
    const where: string[] = []
    const args: unknown[] = []
    const arg = (v: unknown) => `$${args.push(v)}`
    if (q.accountId)
      where.push(`t.seq IN (SELECT seq FROM payfi_entries WHERE account_id = ${arg(q.accountId)})`)
    if (q.from !== undefined) where.push(`t.timestamp >= ${arg(q.from)}`)
    if (q.to !== undefined) where.push(`t.timestamp < ${arg(q.to)}`)
    if (q.metadata && Object.keys(q.metadata).length)
      where.push(`t.metadata @> ${arg(JSON.stringify(q.metadata))}::jsonb`)
    const sql = `SELECT * FROM payfi_transfers t ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.seq LIMIT ${q.limit ?? 1000}`
    return (await this.q(sql, args)).map((r) => decodeTransfer(r as never))
  }
  async getPayment(id: string) {
    const [r] = await this.q<StoredPayment>(
      `SELECT id, merchant_id AS "merchantId", version, data FROM payfi_payments WHERE id = $1`,
      [id],
    )
    return r ?? null
  }
  async listPayments(merchantId: string, limit: number) {
    return this.q<StoredPayment>(
      `SELECT id, merchant_id AS "merchantId", version, data FROM payfi_payments WHERE merchant_id = $1 ORDER BY created DESC LIMIT $2`,
      [merchantId, limit],
    )
  }
  async getIdempotency(merchantId: string, key: string) {
    const [r] = await this.q<IdempotencyRecord>(
      `SELECT merchant_id AS "merchantId", key, request_hash AS "requestHash", response,
         created_at::float8 AS "createdAt", expires_at::float8 AS "expiresAt"
       FROM payfi_idempotency WHERE merchant_id = $1 AND key = $2`,
      [merchantId, key],
    )
    return r ?? null
  }
  async purgeIdempotency(now: number) {
    const rows = await this.q('DELETE FROM payfi_idempotency WHERE expires_at < $1 RETURNING key', [
      now,
    ])
    return rows.length
  }
  async outboxDue(now: number, limit: number) {
    return this.q<OutboxRow>(
      `${outboxSelect} WHERE delivered_at IS NULL AND next_attempt_at <= $1 ORDER BY seq LIMIT $2`,
      [now, limit],
    )
  }
  async outboxUpdate(id: string, u: OutboxUpdate) {
    if (u.delivered)
      await this.q('UPDATE payfi_outbox SET delivered_at = $2 WHERE id = $1', [id, u.at])
    else
      await this.q(
        'UPDATE payfi_outbox SET attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $1',
        [id, u.attempts, u.nextAttemptAt, u.error],
      )
  }
  async events(objectId: string) {
    return this.q<OutboxRow>(`${outboxSelect} WHERE object_id = $1 ORDER BY object_seq`, [objectId])
  }
  async putApiKey(hash: string, merchantId: string, now: number) {
    await this.q('INSERT INTO payfi_api_keys VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      hash,
      merchantId,
      now,
    ])
  }
  async findApiKey(hash: string) {
    const [r] = await this.q<{ merchant_id: string }>(
      'SELECT merchant_id FROM payfi_api_keys WHERE hash = $1',
      [hash],
    )
    return r?.merchant_id ?? null
  }
  async close() {
    if (this.closed) return
    await this.batch.drain()
    this.closed = true
    await Promise.all([this.pool.end(), this.writer.end()])
  }
}

const ignore = () => undefined

const outboxSelect = `SELECT seq::float8 AS seq, id, object_id AS "objectId", object_seq AS "objectSeq", type, payload,
  created_at::float8 AS "createdAt", attempts, next_attempt_at::float8 AS "nextAttemptAt",
  delivered_at::float8 AS "deliveredAt", last_error AS "lastError" FROM payfi_outbox`

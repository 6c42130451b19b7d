import Database from 'better-sqlite3'
import { z } from 'zod'
import { PayfiError, parsePayfi, payfiError } from '../../errors.js'
import { type AccountRow, decodeAccount, decodeTransfer, type TransferRow } from '../codec.js'
import { parseAccounts, parseId, parseQuery, parseTime, parseTransfers } from '../schemas.js'
import {
  GroupCommit,
  type OutboxRow,
  type OutboxUpdate,
  type PayfiStore,
  refuseAll,
  type StoredPayment,
} from '../store.js'
import type { Account, Balance, Transfer, TransferQuery, WriteResult } from '../types.js'
import type { CommitUnit, IdempotencyRecord } from '../unit.js'
import { claimLedger } from './claimLedger.js'
import { createSqliteBatch } from './sqliteBatch.js'

export type OpenSqliteLedgerOptions = {
  /** Ledger clock in ms; `Date.now` by default (tests inject one). */
  now?: () => number
  /** Most units in one transaction. */
  maxBatch?: number
}

/**
 * Opens (creating if needed) the embedded SQLite ledger and store. A database that holds
 * anything but a ledger is refused (`PAYFI_NOT_A_LEDGER`) and left untouched. WAL with `synchronous=FULL`:
 * a write is answered `committed` only after its batch's WAL frames were fsynced, so a committed
 * answer survives a power cut; group commit shares one fsync among every write of the tick.
 *
 * @param path - database file (`:memory:` for throw-away use).
 * @param options - `{ now?, maxBatch? }`.
 * @returns a {@link PayfiStore}.
 * @example
 * ```ts
 * import { openSqliteLedger } from '@btt/payfi'
 * const ledger = openSqliteLedger(':memory:')
 * await ledger.createAccounts([{ id: 'a', currency: 'CNY' }])
 * await ledger.close()
 * ```
 */
export function openSqliteLedger(path: string, options: OpenSqliteLedgerOptions = {}): PayfiStore {
  parsePayfi(z.string().min(1).max(4096), path, 'database path')
  parsePayfi(
    z.strictObject({
      now: z.function().optional(),
      maxBatch: z.number().int().min(1).max(100_000).optional(),
    }),
    options,
    'SQLite ledger options',
  )
  let db: Database.Database | undefined
  try {
    db = new Database(path)
    claimLedger(db, path)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('busy_timeout = 5000')
    db.pragma('cache_size = -65536') // 64 MiB of page cache: the hot pages of a busy ledger stay in memory
  } catch (cause) {
    db?.close()
    if (cause instanceof PayfiError) throw cause
    throw payfiError('PAYFI_STORAGE_FAILED', `Cannot open the ledger database ${path}.`, {
      cause,
      details: { path },
    })
  }
  return new SqliteStore(db, options)
}

class SqliteStore implements PayfiStore {
  readonly backend = 'sqlite' as const
  private readonly batch: GroupCommit
  private closed = false
  private readonly q

  constructor(
    private readonly db: Database.Database,
    options: OpenSqliteLedgerOptions,
  ) {
    const commitBatch = createSqliteBatch(db, options.now ?? Date.now)
    this.batch = new GroupCommit((units) => {
      try {
        return commitBatch(units)
      } catch (cause) {
        const error = payfiError(
          'PAYFI_STORAGE_FAILED',
          'The ledger transaction failed and was rolled back.',
          { cause },
        )
        return refuseAll(units, error)
      }
    }, options.maxBatch)
    this.q = {
      account: db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE id = ?'),
      transfer: db.prepare<[string], TransferRow>('SELECT * FROM transfers WHERE id = ?'),
      balanceAt: db.prepare<[string, number], Record<string, string>>(
        'SELECT debits_pending, debits_posted, credits_pending, credits_posted FROM entries WHERE account_id = ? AND timestamp <= ?',
      ),
      payment: db.prepare<[string], StoredPayment>(
        'SELECT id, merchant_id AS merchantId, version, data FROM payments WHERE id = ?',
      ),
      payments: db.prepare<[string, number], StoredPayment>(
        'SELECT id, merchant_id AS merchantId, version, data FROM payments WHERE merchant_id = ? ORDER BY rowid DESC LIMIT ?',
      ),
      idem: db.prepare<[string, string], IdempotencyRecord>(
        `SELECT merchant_id AS merchantId, key, request_hash AS requestHash, response,
         created_at AS createdAt, expires_at AS expiresAt FROM idempotency WHERE merchant_id = ? AND key = ?`,
      ),
      purge: db.prepare<[number]>('DELETE FROM idempotency WHERE expires_at < ?'),
      due: db.prepare<[number, number], OutboxRow>(
        `${outboxSelect} WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY seq LIMIT ?`,
      ),
      events: db.prepare<[string], OutboxRow>(
        `${outboxSelect} WHERE object_id = ? ORDER BY object_seq`,
      ),
      delivered: db.prepare('UPDATE outbox SET delivered_at = @at WHERE id = @id'),
      failed: db.prepare(
        'UPDATE outbox SET attempts = @attempts, next_attempt_at = @nextAttemptAt, last_error = @error WHERE id = @id',
      ),
      putKey: db.prepare('INSERT OR IGNORE INTO api_keys VALUES (?, ?, ?)'),
      findKey: db.prepare<[string], { merchant_id: string }>(
        'SELECT merchant_id FROM api_keys WHERE hash = ?',
      ),
    }
  }

  private open() {
    if (this.closed) throw payfiError('PAYFI_CLOSED', 'The ledger is closed.')
  }

  async commit(unit: CommitUnit): Promise<WriteResult> {
    this.open()
    return this.batch.submit(unit)
  }

  async createAccounts(accounts: AccountInputList): Promise<WriteResult> {
    return this.commit({ accounts: parseAccounts(accounts) })
  }

  async write(transfers: Parameters<PayfiStore['write']>[0]): Promise<WriteResult> {
    return this.commit({ transfers: parseTransfers(transfers) })
  }

  async getAccount(id: string): Promise<Account | null> {
    this.open()
    const row = this.q.account.get(parseId(id))
    return row ? decodeAccount(row) : null
  }

  async lookupTransfer(id: string): Promise<Transfer | null> {
    this.open()
    const row = this.q.transfer.get(parseId(id))
    return row ? decodeTransfer(row) : null
  }

  async balanceAt(accountId: string, at: number): Promise<Balance> {
    this.open()
    const b: Balance = {
      debitsPending: 0n,
      debitsPosted: 0n,
      creditsPending: 0n,
      creditsPosted: 0n,
    }
    for (const r of this.q.balanceAt.iterate(parseId(accountId), parseTime(at))) {
      b.debitsPending += BigInt(r.debits_pending!)
      b.debitsPosted += BigInt(r.debits_posted!)
      b.creditsPending += BigInt(r.credits_pending!)
      b.creditsPosted += BigInt(r.credits_posted!)
    }
    return b
  }

  async queryTransfers(query: TransferQuery): Promise<Transfer[]> {
    this.open()
    const q = parseQuery(query)
    const where: string[] = []
    const args: (string | number)[] = []
    if (q.accountId) {
      where.push('t.seq IN (SELECT seq FROM entries WHERE account_id = ?)')
      args.push(q.accountId)
    }
    if (q.from !== undefined) where.push('t.timestamp >= ?') && args.push(q.from)
    if (q.to !== undefined) where.push('t.timestamp < ?') && args.push(q.to)
    for (const [k, v] of Object.entries(q.metadata ?? {})) {
      where.push(`json_extract(t.metadata, '$.${k}') = ?`)
      args.push(v as string)
    }
    const sql = `SELECT * FROM transfers t ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.seq LIMIT ${q.limit ?? 1000}`
    return this.db
      .prepare<unknown[], TransferRow>(sql)
      .all(...args)
      .map(decodeTransfer)
  }

  async getPayment(id: string) {
    this.open()
    return this.q.payment.get(id) ?? null
  }
  async listPayments(merchantId: string, limit: number) {
    this.open()
    return this.q.payments.all(merchantId, limit)
  }
  async getIdempotency(merchantId: string, key: string) {
    this.open()
    return this.q.idem.get(merchantId, key) ?? null
  }
  async purgeIdempotency(now: number) {
    this.open()
    return this.q.purge.run(now).changes
  }
  async outboxDue(now: number, limit: number) {
    this.open()
    return this.q.due.all(now, limit)
  }
  async outboxUpdate(id: string, u: OutboxUpdate) {
    this.open()
    if (u.delivered) this.q.delivered.run({ id, at: u.at })
    else
      this.q.failed.run({
        id,
        attempts: u.attempts,
        nextAttemptAt: u.nextAttemptAt,
        error: u.error,
      })
  }
  async events(objectId: string) {
    this.open()
    return this.q.events.all(objectId)
  }
  async putApiKey(hash: string, merchantId: string, now: number) {
    this.open()
    this.q.putKey.run(hash, merchantId, now)
  }
  async findApiKey(hash: string) {
    this.open()
    return this.q.findKey.get(hash)?.merchant_id ?? null
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.batch.drain()
    this.closed = true
    this.db.close()
  }
}

type AccountInputList = Parameters<PayfiStore['createAccounts']>[0]

const outboxSelect = `SELECT seq, id, object_id AS objectId, object_seq AS objectSeq, type, payload,
  created_at AS createdAt, attempts, next_attempt_at AS nextAttemptAt, delivered_at AS deliveredAt,
  last_error AS lastError FROM outbox`

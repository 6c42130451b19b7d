import type { PayfiError } from '../errors.js'
import type { Ledger, WriteResult } from './types.js'
import type { CommitUnit, IdempotencyRecord } from './unit.js'

export type StoredPayment = { id: string; merchantId: string; version: number; data: string }

/** An outbox row with its delivery state. */
export type OutboxRow = {
  seq: number
  id: string
  objectId: string
  objectSeq: number
  type: string
  payload: string
  createdAt: number
  attempts: number
  nextAttemptAt: number
  deliveredAt: number | null
  lastError: string | null
}

export type OutboxUpdate =
  | { delivered: true; at: number }
  | { delivered: false; attempts: number; nextAttemptAt: number; error: string }

/**
 * The ledger plus the rows that must commit with its transfers: payments, idempotency keys, the
 * webhook outbox, API keys. Both stores implement it; the payments layer uses nothing else.
 */
export interface PayfiStore extends Ledger {
  /** Commits one unit atomically (group-committed with the other units of the same tick). */
  commit(unit: CommitUnit): Promise<WriteResult>
  getPayment(id: string): Promise<StoredPayment | null>
  listPayments(merchantId: string, limit: number): Promise<StoredPayment[]>
  getIdempotency(merchantId: string, key: string): Promise<IdempotencyRecord | null>
  /** Deletes idempotency keys whose retention ended before `now`; returns how many. */
  purgeIdempotency(now: number): Promise<number>
  /** Undelivered events due at `now`, oldest first. */
  outboxDue(now: number, limit: number): Promise<OutboxRow[]>
  outboxUpdate(id: string, update: OutboxUpdate): Promise<void>
  events(objectId: string): Promise<OutboxRow[]>
  putApiKey(hash: string, merchantId: string, now: number): Promise<void>
  findApiKey(hash: string): Promise<string | null>
}

/** The same refusal for every unit of a batch that did not commit (nothing was written). */
export function refuseAll(units: readonly unknown[], error: PayfiError): WriteResult[] {
  return units.map(() => ({ outcome: 'refused' as const, code: error.code, error, index: -1 }))
}

type Pending = { unit: CommitUnit; resolve: (r: WriteResult) => void; reject: (e: unknown) => void }

/**
 * Group commit: every unit submitted before the next turn of the event loop goes into one
 * database transaction (one fsync), and each still gets its own answer. While a batch commits,
 * new units queue for the next one.
 */
export class GroupCommit {
  private queue: Pending[] = []
  private running = false
  private scheduled = false

  constructor(
    private readonly commitBatch: (units: CommitUnit[]) => Promise<WriteResult[]> | WriteResult[],
    private readonly maxBatch = 4096,
  ) {}

  submit(unit: CommitUnit): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ unit, resolve, reject })
      this.schedule()
    })
  }

  private schedule() {
    if (this.running || this.scheduled || this.queue.length === 0) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      void this.flush()
    })
  }

  private async flush() {
    this.running = true
    const batch = this.queue.splice(0, this.maxBatch)
    try {
      const results = await this.commitBatch(batch.map((p) => p.unit))
      for (const [i, p] of batch.entries()) p.resolve(results[i]!)
    } catch (error) {
      for (const p of batch) p.reject(error)
    } finally {
      this.running = false
      this.schedule()
    }
  }

  /** Waits until nothing is queued or committing. */
  async drain(): Promise<void> {
    while (this.running || this.scheduled || this.queue.length > 0)
      await new Promise((r) => setImmediate(r))
  }
}

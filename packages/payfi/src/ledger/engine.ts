import { Overlay, Refusal, refuse } from './overlay.js'
import type { Account, Transfer, WriteResult } from './types.js'
import type { CommitUnit, IdempotencyRecord, OutboxEvent } from './unit.js'
import { idemKey, transferHash } from './unit.js'

/** Per-account balance change of one transfer: the journal row behind `balanceAt`. */
export type JournalEntry = {
  transferId: string
  accountId: string
  timestamp: number
  seq: number
  debitsPending: bigint
  debitsPosted: bigint
  creditsPending: bigint
  creditsPosted: bigint
}

/** What a batch read before applying: every row its units can touch. */
export type Snapshot = {
  accounts: Map<string, Account>
  transfers: Map<string, Transfer>
  /** Pending ids already posted or voided. */
  resolved: Set<string>
  paymentVersions: Map<string, number>
  idempotency: Map<string, IdempotencyRecord>
  lastSeq: number
  lastTimestamp: number
}

/** What a batch writes. */
export type Changes = {
  newAccounts: Account[]
  touchedAccounts: Set<string>
  transfers: Transfer[]
  entries: JournalEntry[]
  payments: { id: string; merchantId: string; version: number; data: string; created: boolean }[]
  idempotency: IdempotencyRecord[]
  events: OutboxEvent[]
}

/** The keys a batch must load before it applies. */
export function keysOf(units: CommitUnit[]) {
  const transferIds = new Set<string>()
  const accountIds = new Set<string>()
  const paymentIds = new Set<string>()
  const idem: { merchantId: string; key: string }[] = []
  for (const unit of units) {
    for (const a of unit.accounts ?? []) accountIds.add(a.id)
    for (const t of unit.transfers ?? []) {
      transferIds.add(t.id)
      if ('post' in t) transferIds.add(t.post)
      else if ('void' in t) transferIds.add(t.void)
      else for (const leg of t.legs) accountIds.add(leg.debit).add(leg.credit)
    }
    if (unit.payment) paymentIds.add(unit.payment.id)
    if (unit.idempotency) idem.push(unit.idempotency)
  }
  return { transferIds, accountIds, paymentIds, idem }
}

export function emptyChanges(): Changes {
  return {
    newAccounts: [],
    touchedAccounts: new Set(),
    transfers: [],
    entries: [],
    payments: [],
    idempotency: [],
    events: [],
  }
}

/**
 * Applies one unit to the snapshot, all or nothing: on refusal the snapshot and the changes are
 * untouched. Pure: no I/O, shared by the SQLite and PostgreSQL stores.
 */
export function applyUnit(
  snap: Snapshot,
  changes: Changes,
  unit: CommitUnit,
  now: number,
): WriteResult {
  const tx = new Overlay(snap, Math.max(now, snap.lastTimestamp))
  try {
    if (unit.idempotency) {
      const existing = snap.idempotency.get(
        idemKey(unit.idempotency.merchantId, unit.idempotency.key),
      )
      if (existing)
        refuse('PAYFI_IDEMPOTENCY_CONFLICT', 'The idempotency key is already used.', -1, {
          exists: true,
        })
    }
    if (unit.payment) {
      const current = snap.paymentVersions.get(unit.payment.id) ?? 0
      if (current !== unit.payment.expectedVersion)
        refuse('PAYFI_CONCURRENT_MODIFICATION', 'The payment changed meanwhile.', -1, {
          paymentId: unit.payment.id,
        })
    }
    for (const a of unit.accounts ?? []) tx.createAccount(a)
    const transfers = unit.transfers ?? []
    const existing = transfers.map((t) => snap.transfers.get(t.id) ?? tx.transfers.get(t.id))
    const known = existing.filter((t) => t !== undefined)
    transfers.forEach((t, i) => {
      const e = existing[i]
      if (e && e.hash !== transferHash(t))
        refuse('PAYFI_ID_CONFLICT', `Transfer ${t.id} exists with other content.`, i, { id: t.id })
    })
    if (known.length > 0 && known.length === transfers.length)
      return { outcome: 'committed', transfers: known, replayed: true }
    if (known.length > 0)
      refuse('PAYFI_ID_CONFLICT', 'Part of this linked write already exists.', 0, {
        ids: known.map((t) => t.id),
      })
    const out = transfers.map((t, i) => tx.apply(t, i))
    tx.merge(changes, unit)
    return { outcome: 'committed', transfers: out, replayed: false }
  } catch (error) {
    if (error instanceof Refusal)
      return { outcome: 'refused', code: error.error.code, error: error.error, index: error.index }
    throw error
  }
}

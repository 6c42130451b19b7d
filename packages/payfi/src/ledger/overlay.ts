import { type PayfiError, type PayfiErrorCode, payfiError } from '../errors.js'
import { MAX_AMOUNT } from './currencies.js'
import type { Changes, JournalEntry, Snapshot } from './engine.js'
import type {
  Account,
  EntryInput,
  Leg,
  PostInput,
  Transfer,
  TransferInput,
  VoidInput,
} from './types.js'

type Base = Pick<Transfer, 'id' | 'metadata' | 'timestamp' | 'hash'>

import { type CommitUnit, idemKey, transferHash } from './unit.js'

export class Refusal {
  constructor(
    readonly error: PayfiError,
    readonly index: number,
  ) {}
}

export function refuse(
  code: PayfiErrorCode,
  message: string,
  index: number,
  details?: object,
): never {
  throw new Refusal(payfiError(code, message, details ? { details: { ...details } } : {}), index)
}

/** One unit's private view of the snapshot; merged only when every part of the unit succeeded. */
export class Overlay {
  accounts = new Map<string, Account>()
  newAccounts: Account[] = []
  transfers = new Map<string, Transfer>()
  resolved = new Set<string>()
  entries: JournalEntry[] = []
  seq: number
  constructor(
    readonly snap: Snapshot,
    readonly timestamp: number,
  ) {
    this.seq = snap.lastSeq
  }

  account(id: string, index: number): Account {
    const found = this.accounts.get(id) ?? this.snap.accounts.get(id)
    if (!found) refuse('PAYFI_ACCOUNT_NOT_FOUND', `Account ${id} does not exist.`, index, { id })
    return found
  }

  createAccount(a: {
    id: string
    currency: Account['currency']
    flags?: Account['flags'] | object
  }) {
    const flags = {
      debitsMustNotExceedCredits: Boolean(
        (a.flags as Account['flags'])?.debitsMustNotExceedCredits,
      ),
      creditsMustNotExceedDebits: Boolean(
        (a.flags as Account['flags'])?.creditsMustNotExceedDebits,
      ),
    }
    const existing = this.accounts.get(a.id) ?? this.snap.accounts.get(a.id)
    if (existing) {
      const same =
        existing.currency === a.currency &&
        existing.flags.debitsMustNotExceedCredits === flags.debitsMustNotExceedCredits &&
        existing.flags.creditsMustNotExceedDebits === flags.creditsMustNotExceedDebits
      if (!same)
        refuse('PAYFI_ID_CONFLICT', `Account ${a.id} exists with other content.`, -1, { id: a.id })
      return
    }
    const account: Account = {
      id: a.id,
      currency: a.currency,
      flags,
      debitsPending: 0n,
      debitsPosted: 0n,
      creditsPending: 0n,
      creditsPosted: 0n,
      timestamp: this.timestamp,
    }
    this.accounts.set(a.id, account)
    this.newAccounts.push(account)
  }

  apply(input: TransferInput, index: number): Transfer {
    const base = {
      id: input.id,
      metadata: input.metadata ?? {},
      timestamp: this.timestamp,
      hash: transferHash(input),
    }
    const seq = ++this.seq
    const entries = new Map<string, JournalEntry>()
    const entry = (accountId: string) => {
      let e = entries.get(accountId)
      if (!e) {
        e = {
          transferId: input.id,
          accountId,
          timestamp: this.timestamp,
          seq,
          debitsPending: 0n,
          debitsPosted: 0n,
          creditsPending: 0n,
          creditsPosted: 0n,
        }
        entries.set(accountId, e)
      }
      return e
    }
    const transfer =
      'post' in input || 'void' in input
        ? this.resolve(input, base, seq, entry, index)
        : this.entry(input, base, seq, entry, index)
    this.transfers.set(input.id, transfer)
    this.entries.push(...entries.values())
    return transfer
  }

  private resolve(
    input: PostInput | VoidInput,
    base: Base,
    seq: number,
    entry: (accountId: string) => JournalEntry,
    index: number,
  ): Transfer {
    const pendingId = 'post' in input ? input.post : input.void
    const pending = this.transfers.get(pendingId) ?? this.snap.transfers.get(pendingId)
    if (!pending)
      refuse('PAYFI_TRANSFER_NOT_FOUND', `Pending transfer ${pendingId} does not exist.`, index, {
        id: pendingId,
      })
    if (pending.type !== 'pending')
      refuse('PAYFI_NOT_PENDING', `Transfer ${pendingId} is not pending.`, index, {
        id: pendingId,
      })
    if (this.resolved.has(pendingId) || this.snap.resolved.has(pendingId))
      refuse(
        'PAYFI_PENDING_ALREADY_RESOLVED',
        `Pending transfer ${pendingId} was already posted or voided.`,
        index,
        { id: pendingId },
      )
    const posted =
      'post' in input
        ? (input.amounts ?? pending.legs.map((l) => l.amount))
        : pending.legs.map(() => 0n)
    if (posted.length !== pending.legs.length)
      refuse(
        'PAYFI_INVALID_ARGUMENT',
        `Post gives ${posted.length} amounts for ${pending.legs.length} legs.`,
        index,
      )
    const legs: Leg[] = pending.legs.map((leg, i) => {
      const amount = posted[i]!
      if (amount > leg.amount)
        refuse(
          'PAYFI_POST_EXCEEDS_PENDING',
          `Leg ${i} posts ${amount}, more than the pending ${leg.amount}.`,
          index,
          { leg: i },
        )
      const d = this.mutable(leg.debit, index)
      const c = this.mutable(leg.credit, index)
      d.debitsPending -= leg.amount
      d.debitsPosted += amount
      c.creditsPending -= leg.amount
      c.creditsPosted += amount
      const de = entry(leg.debit)
      de.debitsPending -= leg.amount
      de.debitsPosted += amount
      const ce = entry(leg.credit)
      ce.creditsPending -= leg.amount
      ce.creditsPosted += amount
      this.checkOverflow(d, index)
      this.checkOverflow(c, index)
      return {
        debit: leg.debit,
        credit: leg.credit,
        amount: 'post' in input ? amount : leg.amount,
      }
    })
    this.resolved.add(pendingId)
    return { ...base, type: 'post' in input ? 'post' : 'void', pendingId, legs, seq }
  }

  private entry(
    input: EntryInput,
    base: Base,
    seq: number,
    entry: (accountId: string) => JournalEntry,
    index: number,
  ): Transfer {
    const pending = Boolean(input.pending)
    for (const leg of input.legs) {
      const d = this.mutable(leg.debit, index)
      const c = this.mutable(leg.credit, index)
      if (d.id === c.id)
        refuse('PAYFI_SAME_ACCOUNT', `A leg debits and credits ${d.id}.`, index, { id: d.id })
      if (d.currency !== c.currency)
        refuse(
          'PAYFI_CURRENCY_MISMATCH',
          `${d.id} is ${d.currency}, ${c.id} is ${c.currency}.`,
          index,
          { debit: d.id, credit: c.id },
        )
      if (pending) {
        d.debitsPending += leg.amount
        c.creditsPending += leg.amount
        entry(d.id).debitsPending += leg.amount
        entry(c.id).creditsPending += leg.amount
      } else {
        d.debitsPosted += leg.amount
        c.creditsPosted += leg.amount
        entry(d.id).debitsPosted += leg.amount
        entry(c.id).creditsPosted += leg.amount
      }
      if (d.flags.debitsMustNotExceedCredits && d.debitsPending + d.debitsPosted > d.creditsPosted)
        refuse('PAYFI_EXCEEDS_CREDITS', `Account ${d.id} has insufficient funds.`, index, {
          id: d.id,
        })
      if (c.flags.creditsMustNotExceedDebits && c.creditsPending + c.creditsPosted > c.debitsPosted)
        refuse('PAYFI_EXCEEDS_DEBITS', `Account ${c.id} would exceed its debits.`, index, {
          id: c.id,
        })
      this.checkOverflow(d, index)
      this.checkOverflow(c, index)
    }
    return {
      ...base,
      type: pending ? 'pending' : 'posted',
      pendingId: null,
      legs: input.legs.map((l) => ({ ...l })),
      seq,
    }
  }

  /** A copy of the account private to this unit. */
  mutable(id: string, index: number): Account {
    const own = this.accounts.get(id)
    if (own) return own
    const copy = { ...this.account(id, index) }
    this.accounts.set(id, copy)
    return copy
  }

  checkOverflow(a: Account, index: number) {
    for (const v of [a.debitsPending, a.debitsPosted, a.creditsPending, a.creditsPosted])
      if (v > MAX_AMOUNT)
        refuse('PAYFI_AMOUNT_OVERFLOW', `A balance of ${a.id} would exceed 2^128 - 1.`, index, {
          id: a.id,
        })
  }

  merge(changes: Changes, unit: CommitUnit) {
    const snap = this.snap
    for (const [id, a] of this.accounts) {
      snap.accounts.set(id, a)
      changes.touchedAccounts.add(id)
    }
    changes.newAccounts.push(...this.newAccounts)
    for (const [id, t] of this.transfers) snap.transfers.set(id, t)
    for (const id of this.resolved) snap.resolved.add(id)
    changes.transfers.push(...this.transfers.values())
    changes.entries.push(...this.entries)
    snap.lastSeq = this.seq
    snap.lastTimestamp = this.timestamp
    if (unit.payment) {
      const p = unit.payment
      snap.paymentVersions.set(p.id, p.version)
      changes.payments.push({
        id: p.id,
        merchantId: p.merchantId,
        version: p.version,
        data: p.data,
        created: p.expectedVersion === 0,
      })
    }
    if (unit.idempotency) {
      snap.idempotency.set(
        idemKey(unit.idempotency.merchantId, unit.idempotency.key),
        unit.idempotency,
      )
      changes.idempotency.push(unit.idempotency)
    }
    changes.events.push(...(unit.events ?? []))
  }
}

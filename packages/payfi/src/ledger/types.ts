import type { PayfiError, PayfiErrorCode } from '../errors.js'
import type { Currency } from './currencies.js'
import type { Metadata } from './metadata.js'

/** TigerBeetle's balance flags. */
export type AccountFlags = {
  /** Debits (pending + posted) may never exceed posted credits: a balance that cannot go negative. */
  debitsMustNotExceedCredits?: boolean
  /** Credits (pending + posted) may never exceed posted debits. */
  creditsMustNotExceedDebits?: boolean
}

export type AccountInput = {
  /** Stable id, e.g. `merchant:m_1:CNY`. Creating it again with the same content is a no-op. */
  id: string
  currency: Currency
  flags?: AccountFlags
}

export type Balance = {
  debitsPending: bigint
  debitsPosted: bigint
  creditsPending: bigint
  creditsPosted: bigint
}

export type Account = Balance & {
  id: string
  currency: Currency
  flags: Required<AccountFlags>
  /** Ledger time of creation, ms since the epoch. */
  timestamp: number
}

/** One balanced movement: `amount` leaves `debit` and enters `credit`, in one currency. */
export type Leg = { debit: string; credit: string; amount: bigint }

/** A posted (or, with `pending`, a reserved) multi-leg entry: every leg commits or none does. */
export type EntryInput = {
  id: string
  legs: Leg[]
  pending?: boolean
  metadata?: Metadata
}
/** Posts a pending entry once, in full or in part (`amounts`, per leg, each at most the pending leg). */
export type PostInput = { id: string; post: string; amounts?: bigint[]; metadata?: Metadata }
/** Voids a pending entry once, releasing what it reserved. */
export type VoidInput = { id: string; void: string; metadata?: Metadata }

export type TransferInput = EntryInput | PostInput | VoidInput

export type TransferType = 'posted' | 'pending' | 'post' | 'void'

/** A journal row: never updated or deleted. */
export type Transfer = {
  id: string
  type: TransferType
  /** For `post` and `void`: the pending transfer they resolve. */
  pendingId: string | null
  /** For `post`: the posted amounts; for `void`: the released amounts; else the entry's legs. */
  legs: Leg[]
  metadata: Metadata
  /** Ledger time, ms since the epoch. */
  timestamp: number
  /** Commit order, strictly increasing. */
  seq: number
  /** sha-256 of the canonical input: the same id with another hash is `PAYFI_ID_CONFLICT`. */
  hash: string
}

/** What a write answers: committed (perhaps a replay of the first result), refused, or unknown. */
export type WriteResult =
  | { outcome: 'committed'; transfers: Transfer[]; replayed: boolean }
  | { outcome: 'refused'; code: PayfiErrorCode; error: PayfiError; index: number }
  | { outcome: 'unknown'; error: PayfiError }

export type TransferQuery = {
  accountId?: string
  /** Inclusive lower bound, ms. */
  from?: number
  /** Exclusive upper bound, ms. */
  to?: number
  /** Every key must match exactly. */
  metadata?: Metadata
  limit?: number
}

/** The ledger: one interface, SQLite (embedded) and PostgreSQL implementations. */
export interface Ledger {
  readonly backend: 'sqlite' | 'postgres'
  /** Creates accounts (or finds them unchanged); a different existing account is `PAYFI_ID_CONFLICT`. */
  createAccounts(accounts: AccountInput[]): Promise<WriteResult>
  /** Current balance, O(1) (running totals on the account row). */
  getAccount(id: string): Promise<Account | null>
  /** One transfer, or several linked: all commit or none. */
  write(transfers: TransferInput | TransferInput[]): Promise<WriteResult>
  lookupTransfer(id: string): Promise<Transfer | null>
  /** Balance as of a time, from the journal (entries with timestamp ≤ at). */
  balanceAt(accountId: string, at: number): Promise<Balance>
  queryTransfers(query: TransferQuery): Promise<Transfer[]>
  close(): Promise<void>
}

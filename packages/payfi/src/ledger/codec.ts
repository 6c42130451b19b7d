import type { Account, Leg, Transfer } from './types.js'

/** Legs as JSON with amounts as decimal strings: lossless for any bigint. */
export const encodeLegs = (legs: Leg[]) =>
  JSON.stringify(legs.map((l) => [l.debit, l.credit, l.amount.toString()]))

export const decodeLegs = (json: string): Leg[] =>
  (JSON.parse(json) as [string, string, string][]).map(([debit, credit, amount]) => ({
    debit,
    credit,
    amount: BigInt(amount),
  }))

export const encodeFlags = (f: Account['flags']) =>
  (f.debitsMustNotExceedCredits ? 1 : 0) | (f.creditsMustNotExceedDebits ? 2 : 0)

export const decodeFlags = (n: number): Account['flags'] => ({
  debitsMustNotExceedCredits: (n & 1) !== 0,
  creditsMustNotExceedDebits: (n & 2) !== 0,
})

export type AccountRow = {
  id: string
  currency: string
  flags: number
  debits_pending: string
  debits_posted: string
  credits_pending: string
  credits_posted: string
  timestamp: number | string
}

export const decodeAccount = (r: AccountRow): Account => ({
  id: r.id,
  currency: r.currency as Account['currency'],
  flags: decodeFlags(Number(r.flags)),
  debitsPending: BigInt(r.debits_pending),
  debitsPosted: BigInt(r.debits_posted),
  creditsPending: BigInt(r.credits_pending),
  creditsPosted: BigInt(r.credits_posted),
  timestamp: Number(r.timestamp),
})

export type TransferRow = {
  seq: number | string
  id: string
  type: string
  pending_id: string | null
  legs: string
  metadata: string | object
  timestamp: number | string
  hash: string
}

export const decodeTransfer = (r: TransferRow): Transfer => ({
  id: r.id,
  type: r.type as Transfer['type'],
  pendingId: r.pending_id,
  legs: decodeLegs(r.legs),
  metadata: typeof r.metadata === 'string' ? JSON.parse(r.metadata) : r.metadata,
  timestamp: Number(r.timestamp),
  seq: Number(r.seq),
  hash: r.hash,
})

import type { Currency } from '../ledger/currencies.js'

/**
 * One difference between the chain and the ledger. Amounts are decimal strings in the
 * settlement asset's base units (so the report is JSON as is).
 */
export type Difference =
  | { kind: 'missing_on_chain'; batchId: string; currency: Currency; ledgerTotal: string }
  | {
      kind: 'missing_in_ledger'
      batchKey: string
      /** The ledger's batch id when the ledger knows it (a voided reservation), else null. */
      batchId: string | null
      token: string
      chainTotal: string
      transactionHash: string
    }
  | {
      kind: 'amount_mismatch'
      batchId: string
      currency: Currency
      ledgerTotal: string
      chainTotal: string
      /** The per-recipient amounts, sorted, on each side (the operator's funding must equal the total). */
      ledgerAmounts: string[]
      chainAmounts: string[]
    }
  | {
      /** Paid in the right amounts, to other addresses than the reservation recorded. */
      kind: 'recipient_mismatch'
      batchId: string
      currency: Currency
      /** `<address>:<amount>` per payout, lower-case, sorted, on each side. */
      ledgerPayouts: string[]
      chainPayouts: string[]
    }
  | {
      kind: 'pending_too_long'
      batchId: string
      currency: Currency
      ageMs: number
      paidOnChain: boolean
    }
  | {
      kind: 'balance_mismatch'
      currency: Currency
      token: string
      /** `chain_payouts:<CCY>` posted credits, converted to the asset. */
      ledgerPosted: string
      /** Sum of BatchPaid totals for the asset's token. */
      chainPaid: string
    }

/** Per currency: what the ledger says went out and is in flight, and what the chain paid. */
export type CurrencyTotals = {
  currency: Currency
  token: string
  ledgerPosted: string
  ledgerInFlight: string
  chainPaid: string
}

export type ReconcileReport = {
  chain: string
  batches: { posted: number; pending: number; voided: number; chainEvents: number }
  totals: CurrencyTotals[]
  differences: Difference[]
}

import type { Currency } from '../ledger/currencies.js'
import { payoutAddressKeys } from '../ledger/metadata.js'
import type { Ledger } from '../ledger/types.js'
import { resolutionOf, settlementReservations } from '../settlement/inFlightBatches.js'

/** A settlement batch as the ledger records it. */
export type LedgerBatch = {
  batchId: string
  currency: Currency
  status: 'posted' | 'voided' | 'pending'
  /** Ledger minor units, one per payee leg. */
  amounts: bigint[]
  /** The payout address recorded for each leg (`payout_address_<leg>`); null when none was. */
  recipients: (string | null)[]
  /** When it was reserved, ledger ms. */
  reservedAt: number
}

/** Every settlement batch in the ledger with its resolution. */
export async function ledgerBatches(ledger: Ledger): Promise<LedgerBatch[]> {
  const out: LedgerBatch[] = []
  for (const t of await settlementReservations(ledger)) {
    const batchId = t.metadata.settlement_id!
    out.push({
      batchId,
      currency: t.legs[0]!.credit.slice('chain_payouts:'.length) as Currency,
      status: await resolutionOf(ledger, batchId),
      amounts: t.legs.map((l) => l.amount),
      recipients: t.legs.map((_, i) => t.metadata[payoutAddressKeys[i]!] ?? null),
      reservedAt: t.timestamp,
    })
  }
  return out
}

import { payfiError } from '../errors.js'
import { type Currency, currencies } from '../ledger/currencies.js'
import { payoutAddressKeys } from '../ledger/metadata.js'
import type { Ledger, Transfer } from '../ledger/types.js'
import { payeeOf, settlementIds } from './accounts.js'
import { convertUnits } from './convert.js'
import type { PlannedBatch, SettlementAsset } from './types.js'

/**
 * Every settlement reservation in the ledger (pending entries with `operation: settlement`),
 * oldest first, read in pages of 10,000 by ledger time.
 */
export async function settlementReservations(ledger: Ledger, from = 0): Promise<Transfer[]> {
  const out = new Map<string, Transfer>()
  const limit = 10_000
  for (let since = from; ; ) {
    const page = await ledger.queryTransfers({
      metadata: { operation: 'settlement' },
      from: since,
      limit,
    })
    for (const t of page) if (t.type === 'pending') out.set(t.id, t)
    const last = page.at(-1)
    // a short page is the end; a full page all in one millisecond cannot be paged by time
    if (page.length < limit || !last || last.timestamp === page[0]!.timestamp) break
    since = last.timestamp
  }
  return [...out.values()]
}

/** Whether a reservation was posted or voided, and how. */
export async function resolutionOf(
  ledger: Ledger,
  batchId: string,
): Promise<'posted' | 'voided' | 'pending'> {
  if (await ledger.lookupTransfer(settlementIds.post(batchId))) return 'posted'
  if (await ledger.lookupTransfer(settlementIds.void(batchId))) return 'voided'
  return 'pending'
}

/**
 * The batches still in flight, rebuilt from the ledger alone: each reservation neither posted nor
 * voided, with the payout addresses recorded in it (`payout_address_<leg>`; for a reservation
 * written before they were recorded: a node's from its account id, a merchant's from the registry,
 * `''` when the registry has none — enough to post a batch the chain already paid) and its asset.
 */
export async function inFlightBatches(
  ledger: Ledger,
  assets: Partial<Record<Currency, SettlementAsset>>,
  payees: Readonly<Record<string, string>>,
): Promise<PlannedBatch[]> {
  const out: PlannedBatch[] = []
  for (const t of await settlementReservations(ledger)) {
    const batchId = t.metadata.settlement_id!
    if ((await resolutionOf(ledger, batchId)) !== 'pending') continue
    out.push(rebuild(t, batchId, assets, payees))
  }
  return out
}

function rebuild(
  t: Transfer,
  batchId: string,
  assets: Partial<Record<Currency, SettlementAsset>>,
  payees: Readonly<Record<string, string>>,
): PlannedBatch {
  const currency = t.legs[0]!.credit.slice('chain_payouts:'.length) as Currency
  const asset = assets[currency]
  if (!asset)
    throw payfiError(
      'PAYFI_INVALID_ARGUMENT',
      `Batch ${batchId} is in ${currency}, which has no settlement asset configured.`,
      {
        details: { batchId, currency },
      },
    )
  const payouts = t.legs.map((leg, i) => {
    const payee = payeeOf(leg.debit)
    // the address recorded with the reservation; the registry only for reservations made before
    // addresses were recorded
    const to =
      t.metadata[payoutAddressKeys[i]!] ??
      (payee?.kind === 'node' ? payee.address : payee ? payees[payee.merchantId] : undefined)
    const assetAmount = convertUnits({
      amount: leg.amount,
      from: currencies[currency].decimals,
      to: asset.decimals,
    })
    // an address missing from the registry only matters if the batch must be sent (driveBatch)
    return { account: leg.debit, to: to ?? '', amount: leg.amount, assetAmount }
  })
  return {
    batchId,
    currency,
    token: asset.token,
    payouts,
    ...(t.metadata.epoch_id ? { epochId: t.metadata.epoch_id } : {}),
  }
}

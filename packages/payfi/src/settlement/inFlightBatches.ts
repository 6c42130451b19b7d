import { payfiError } from '../errors.js'
import { type Currency, currencies } from '../ledger/currencies.js'
import type { Ledger, Transfer } from '../ledger/types.js'
import { payeeOf, settlementIds } from './accounts.js'
import { convertUnits } from './convert.js'
import type { PlannedBatch, SettlementAsset } from './types.js'

/** Every settlement reservation in the ledger (pending entries with `operation: settlement`). */
export async function settlementReservations(ledger: Ledger, from = 0): Promise<Transfer[]> {
  const list = await ledger.queryTransfers({
    metadata: { operation: 'settlement' },
    from,
    limit: 10_000,
  })
  return list.filter((t) => t.type === 'pending')
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
 * voided, with its payees' addresses (a node's from its account id, a merchant's from the
 * registry; `''` when the registry has none — enough to post a batch the chain already paid) and
 * its asset.
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
  const payouts = t.legs.map((leg) => {
    const payee = payeeOf(leg.debit)
    const to = payee?.kind === 'node' ? payee.address : payee ? payees[payee.merchantId] : undefined
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

import { type Currency, currencies } from '../ledger/currencies.js'
import type { Ledger } from '../ledger/types.js'
import { accountIds } from '../payments/operations.js'
import { MAX_BATCH_PAYOUTS } from './accounts.js'
import { convertiblePart, convertUnits } from './convert.js'
import type { PlannedBatch, PlannedPayout, SettlementAsset } from './types.js'

/** What a payee account may pay out now: posted credits less posted and pending debits. */
export function available(a: {
  creditsPosted: bigint
  debitsPosted: bigint
  debitsPending: bigint
}): bigint {
  const v = a.creditsPosted - a.debitsPosted - a.debitsPending
  return v > 0n ? v : 0n
}

/** Splits payouts into batches of at most 16 (one ledger entry each); ids `<prefix>.<CCY>.<n>`. */
export function chunkBatches(
  prefix: string,
  currency: Currency,
  asset: SettlementAsset,
  payouts: PlannedPayout[],
  epochId?: string,
): PlannedBatch[] {
  const out: PlannedBatch[] = []
  for (let i = 0; i < payouts.length; i += MAX_BATCH_PAYOUTS)
    out.push({
      batchId: `${prefix}.${currency}.${i / MAX_BATCH_PAYOUTS}`,
      currency,
      token: asset.token,
      payouts: payouts.slice(i, i + MAX_BATCH_PAYOUTS),
      ...(epochId ? { epochId } : {}),
    })
  return out
}

/**
 * What each merchant in the registry is owed, per configured currency, as batches: the whole
 * available balance of `merchant:<id>:<CCY>`, less any part the asset cannot carry exactly
 * (sub-unit dust stays owed). Merchants are taken in id order, so the plan is deterministic.
 */
export async function planMerchantBatches(
  ledger: Ledger,
  runId: string,
  assets: Partial<Record<Currency, SettlementAsset>>,
  payees: Readonly<Record<string, string>>,
): Promise<PlannedBatch[]> {
  const batches: PlannedBatch[] = []
  for (const currency of Object.keys(assets).sort() as Currency[]) {
    const asset = assets[currency]!
    const from = currencies[currency].decimals
    const payouts: PlannedPayout[] = []
    for (const merchantId of Object.keys(payees).sort()) {
      const account = await ledger.getAccount(accountIds.merchant(merchantId, currency))
      if (!account) continue
      const amount = convertiblePart(available(account), from, asset.decimals)
      if (amount === 0n) continue
      payouts.push({
        account: account.id,
        to: payees[merchantId]!,
        amount,
        assetAmount: convertUnits({ amount, from, to: asset.decimals }),
      })
    }
    batches.push(...chunkBatches(runId, currency, asset, payouts))
  }
  return batches
}

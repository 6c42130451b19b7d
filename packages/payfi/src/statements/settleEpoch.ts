import { z } from 'zod'
import { parsePayfi, payfiError } from '../errors.js'
import { type Currency, currencies } from '../ledger/currencies.js'
import type { AccountInput, Ledger, Leg } from '../ledger/types.js'
import { MAX_BATCH_PAYOUTS, settlementIds } from '../settlement/accounts.js'
import { convertUnits } from '../settlement/convert.js'
import type { Settlement } from '../settlement/createSettlement.js'
import { writeOnce } from '../settlement/ledgerOps.js'
import { chunkBatches } from '../settlement/planBatches.js'
import type { BatchOutcome, PlannedBatch, PlannedPayout } from '../settlement/types.js'
import { parseEpochStatement } from './epochStatement.js'

/**
 * Settles a compute epoch statement the same way as merchants: each node's share is first
 * credited to `node:<address>:<CCY>` (from `compute_revenue:<CCY>`) and its emission to
 * `node:<address>:BTT` (from `emission:BTT`), then paid in two sets of batches — revenue share in
 * the currency's settlement asset (`e.<epoch>.<CCY>.<n>`), emission in BTT (`e.<epoch>.BTT.<n>`).
 * Every id derives from the epoch, so settling a statement again pays nothing twice.
 *
 * @param ledger - the ledger the settlement writes to.
 * @param settlement - from `createSettlement`, with assets for the currency and BTT.
 * @param statement - a compute epoch statement (checked with `parseEpochStatement`).
 * @returns the batches' outcomes.
 * @throws {PayfiError} `PAYFI_INVALID_ARGUMENT`, `PAYFI_STATEMENT_INVALID`, `PAYFI_LOSSY_CONVERSION`.
 */
export async function settleEpoch(
  ledger: Ledger,
  settlement: Settlement,
  statement: unknown,
): Promise<BatchOutcome[]> {
  parsePayfi(
    z.object({
      ledger: z.custom<Ledger>((l) => typeof (l as Ledger)?.write === 'function', 'a ledger'),
      settlement: z.custom<Settlement>(
        (x) => typeof (x as Settlement)?.settleBatches === 'function',
        'a settlement from createSettlement',
      ),
    }),
    { ledger, settlement },
    'settleEpoch arguments',
  )
  const s = parseEpochStatement(statement)
  const parts: { currency: Currency; source: string; key: 'revenueShare' | 'emission' }[] = [
    { currency: s.currency, source: settlementIds.computeRevenue(s.currency), key: 'revenueShare' },
    { currency: 'BTT', source: settlementIds.emission(), key: 'emission' },
  ]
  const batches: PlannedBatch[] = []
  for (const part of parts) {
    const asset = settlement.assets[part.currency]
    if (!asset)
      throw payfiError(
        'PAYFI_INVALID_ARGUMENT',
        `No settlement asset is configured for ${part.currency}.`,
        {
          details: { currency: part.currency, epochId: s.epochId },
        },
      )
    const nodes = s.nodes.filter((n) => BigInt(n[part.key]) > 0n)
    const payouts: PlannedPayout[] = nodes.map((n) => {
      const amount = BigInt(n[part.key])
      const from = currencies[part.currency].decimals
      return {
        account: settlementIds.node(n.address, part.currency),
        to: n.address,
        amount,
        assetAmount: convertUnits({ amount, from, to: asset.decimals }),
      }
    })
    await creditNodes(ledger, s.epochId, part.currency, part.source, payouts)
    batches.push(...chunkBatches(`e.${s.epochId}`, part.currency, asset, payouts, s.epochId))
  }
  return settlement.settleBatches(batches)
}

/** Posts what the epoch owes each node to its account, in entries of at most 16 legs. */
async function creditNodes(
  ledger: Ledger,
  epochId: string,
  currency: Currency,
  source: string,
  payouts: PlannedPayout[],
): Promise<void> {
  if (payouts.length === 0) return
  const accounts: AccountInput[] = [
    { id: source, currency },
    ...payouts.map((p) => ({
      id: p.account,
      currency,
      flags: { debitsMustNotExceedCredits: true },
    })),
  ]
  const created = await ledger.createAccounts(accounts)
  if (created.outcome !== 'committed') throw created.error
  for (let i = 0; i < payouts.length; i += MAX_BATCH_PAYOUTS) {
    const legs: Leg[] = payouts
      .slice(i, i + MAX_BATCH_PAYOUTS)
      .map((p) => ({ debit: source, credit: p.account, amount: p.amount }))
    const r = await writeOnce(ledger, {
      id: `epoch:${epochId}:${currency}:${i / MAX_BATCH_PAYOUTS}`,
      legs,
      metadata: { epoch_id: epochId, operation: 'epoch_credit' },
    })
    if (!r.ok)
      throw payfiError(
        'PAYFI_INVALID_STATE',
        `Epoch ${epochId} could not be credited (${r.code}).`,
        {
          details: { epochId, currency, refused: r.code },
        },
      )
  }
}

import { payfiError } from '../errors.js'
import { payoutAddressKeys } from '../ledger/metadata.js'
import { resolveOutcome } from '../ledger/resolveOutcome.js'
import type { Ledger, TransferInput } from '../ledger/types.js'
import { chainPayoutsAccount, settlementIds } from './accounts.js'
import type { PlannedBatch } from './types.js'

/**
 * Writes one settlement transfer and answers committed (also a replay) or refused; an unknown
 * outcome is resolved by looking the id up, never by writing blindly again.
 */
export async function writeOnce(
  ledger: Ledger,
  transfer: TransferInput,
): Promise<{ ok: true } | { ok: false; code: string }> {
  const r = await ledger.write(transfer)
  if (r.outcome === 'committed') return { ok: true }
  if (r.outcome === 'refused') return { ok: false, code: r.code }
  const resolved = await resolveOutcome(ledger, [transfer.id])
  if (resolved.outcome === 'committed') return { ok: true }
  const again = await ledger.write(transfer) // absent: nothing was committed, the id is free
  if (again.outcome === 'committed') return { ok: true }
  if (again.outcome === 'refused') return { ok: false, code: again.code }
  throw again.error
}

/**
 * Reserves a batch: one multi-leg pending entry, payee accounts → `chain_payouts:<CCY>`, with
 * each leg's payout address in `payout_address_<leg>`.
 */
export async function reserveBatch(
  ledger: Ledger,
  batch: PlannedBatch,
): Promise<{ ok: true } | { ok: false; code: string }> {
  const created = await ledger.createAccounts([chainPayoutsAccount(batch.currency)])
  if (created.outcome !== 'committed')
    throw created.outcome === 'refused' ? created.error : created.error
  return writeOnce(ledger, {
    id: settlementIds.reserve(batch.batchId),
    pending: true,
    legs: batch.payouts.map((p) => ({
      debit: p.account,
      credit: settlementIds.chainPayouts(batch.currency),
      amount: p.amount,
    })),
    metadata: {
      settlement_id: batch.batchId,
      operation: 'settlement',
      ...(batch.epochId ? { epoch_id: batch.epochId } : {}),
      // the addresses the batch was planned with: recover() pays these, whatever the registry
      // says later
      ...Object.fromEntries(batch.payouts.map((p, i) => [payoutAddressKeys[i]!, p.to])),
    },
  })
}

/** Posts a reserved batch once its transaction has the confirmations (a replay is a no-op). */
export async function postBatch(ledger: Ledger, batchId: string): Promise<void> {
  const r = await writeOnce(ledger, {
    id: settlementIds.post(batchId),
    post: settlementIds.reserve(batchId),
    metadata: { settlement_id: batchId, operation: 'settlement_post' },
  })
  if (!r.ok)
    throw payfiError(
      'PAYFI_PENDING_ALREADY_RESOLVED',
      `Batch ${batchId} was paid on chain but its reservation could not be posted (${r.code}); reconciliation will report it.`,
      { details: { batchId, refused: r.code } },
    )
}

/** Voids a reserved batch that the chain refused and that cannot land: the money is owed again. */
export async function voidBatch(ledger: Ledger, batchId: string): Promise<boolean> {
  const r = await writeOnce(ledger, {
    id: settlementIds.void(batchId),
    void: settlementIds.reserve(batchId),
    metadata: { settlement_id: batchId, operation: 'settlement_void' },
  })
  return r.ok
}

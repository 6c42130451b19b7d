import { PayfiError, payfiError } from '../errors.js'
import type { Ledger } from '../ledger/types.js'
import { postBatch, voidBatch } from './ledgerOps.js'
import type { BatchOutcome, PlannedBatch, SettlementChain, SettlementStep } from './types.js'

export type DriveOptions = {
  chain: SettlementChain
  confirmations: number
  pollMs: number
  /** After this long without the confirmations the batch is left in flight for `recover()`. */
  confirmTimeoutMs: number
  onStep: (
    step: SettlementStep,
    batchId: string,
    detail: { transactionHash: string | null },
  ) => void | Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Takes a reserved batch to the end: sends it (again when its transaction vanished: dropped,
 * replaced or reorged out — the chain pays a batch id once, so this is safe), waits until the
 * batch is paid at the configured depth, then posts the reservation. A batch the chain refuses
 * while nothing of ours is in the pool is voided (its money is owed again and re-queued).
 */
export async function driveBatch(
  ledger: Ledger,
  batch: PlannedBatch,
  options: DriveOptions,
): Promise<BatchOutcome> {
  const { chain } = options
  const outcome: BatchOutcome = {
    batchId: batch.batchId,
    currency: batch.currency,
    status: 'in_flight',
    total: batch.payouts.reduce((s, p) => s + p.amount, 0n),
    payouts: batch.payouts.length,
    transactionHash: null,
    sends: 0,
  }
  const chainBatch = {
    batchId: batch.batchId,
    token: batch.token,
    payouts: batch.payouts.map((p) => ({ to: p.to, amount: p.assetAmount })),
  }
  const deadline = Date.now() + options.confirmTimeoutMs
  let seenMined = false
  for (;;) {
    const onChain = await chain.inspect(batch.batchId).catch(transient)
    if (onChain?.paid) {
      outcome.transactionHash = onChain.transactionHash
      if (!seenMined) {
        seenMined = true
        await options.onStep('mined', batch.batchId, { transactionHash: outcome.transactionHash })
      } else if (onChain.depth >= options.confirmations) {
        await options.onStep('confirmed', batch.batchId, {
          transactionHash: outcome.transactionHash,
        })
        await postBatch(ledger, batch.batchId)
        await options.onStep('posted', batch.batchId, { transactionHash: outcome.transactionHash })
        return { ...outcome, status: 'posted' }
      }
    } else if (onChain) {
      seenMined = false // a reorg can take a mined batch away
      const known = outcome.transactionHash
        ? await chain.transactionKnown(outcome.transactionHash).catch(() => true)
        : false
      if (!known) {
        requireAddresses(batch)
        const sent = await send(
          chain,
          chainBatch,
          outcome.sends > 0 || outcome.transactionHash !== null,
        )
        if (sent === 'refused') {
          if (await voidBatch(ledger, batch.batchId)) return { ...outcome, status: 'voided' }
        } else if (sent) {
          outcome.sends += 1
          outcome.transactionHash = sent
          await options.onStep('sent', batch.batchId, { transactionHash: sent })
        }
      }
    }
    if (Date.now() > deadline) return outcome
    await sleep(options.pollMs)
  }
}

/** A batch rebuilt by `recover()` for a merchant the registry no longer has cannot be sent. */
function requireAddresses(batch: PlannedBatch) {
  const missing = batch.payouts.filter((p) => p.to === '').map((p) => p.account)
  if (missing.length > 0)
    throw payfiError(
      'PAYFI_INVALID_ARGUMENT',
      `Batch ${batch.batchId} must be sent but ${missing.join(', ')} has no address in the registry.`,
      { details: { batchId: batch.batchId, accounts: missing } },
    )
}

/** A read that failed: try again at the next poll. */
function transient(): null {
  return null
}

/**
 * Sends; answers the hash, `'refused'` when the chain refuses the batch and it cannot land
 * (not paid, nothing of ours pending), or null when the outcome is unclear (poll again).
 */
async function send(
  chain: SettlementChain,
  batch: Parameters<SettlementChain['send']>[0],
  resend: boolean,
): Promise<string | 'refused' | null> {
  try {
    return (await chain.send(batch, { resend })).transactionHash
  } catch (error) {
    if (!(error instanceof PayfiError) || error.code !== 'PAYFI_CHAIN_REVERTED') return null
    const now = await chain.inspect(batch.batchId).catch(transient)
    if (!now || now.paid) return null
    const pending = await chain.hasPendingTransactions().catch(() => true)
    return pending ? null : 'refused'
  }
}

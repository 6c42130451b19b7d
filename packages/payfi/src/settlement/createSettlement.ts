import { payfiError } from '../errors.js'
import type { Ledger } from '../ledger/types.js'
import { type DriveOptions, driveBatch } from './driveBatch.js'
import { inFlightBatches } from './inFlightBatches.js'
import { reserveBatch } from './ledgerOps.js'
import {
  parseSettlementOptions,
  type ResolvedSettlementOptions,
  type SettlementOptions,
} from './options.js'
import { planMerchantBatches } from './planBatches.js'
import type { BatchOutcome, PlannedBatch } from './types.js'

export type SettlementRun = {
  runId: string
  /** The chain's label (`SIMULATED chain …` on the simulated chain), for logs and reports. */
  chain: string
  batches: BatchOutcome[]
}

export type Settlement = {
  /** Settles what every registered merchant is owed now: reserve, pay, confirm, post. */
  run(): Promise<SettlementRun>
  /** Finishes every batch the ledger shows in flight (after a crash, a timeout), exactly once. */
  recover(): Promise<BatchOutcome[]>
  /** Reserves, pays and posts batches planned elsewhere (compute epochs). */
  settleBatches(batches: PlannedBatch[]): Promise<BatchOutcome[]>
  /** Starts the schedule (recover, then run, every `intervalMs`); runs never overlap. */
  start(): void
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void>
  readonly chainLabel: string
  /** The configured settlement assets, per currency. */
  readonly assets: ResolvedSettlementOptions['assets']
}

/**
 * Settlement of merchants' captured net (and compute payouts) on a chain. Each batch is one
 * pending ledger entry (payees → `chain_payouts:<CCY>`) and one chain transaction whose batch id
 * (`<run>.<CCY>.<n>`) the chain pays at most once; the entry is posted only once the payout has
 * the configured confirmations. All state is in the ledger and on the chain, so `recover()` after
 * a crash finishes each in-flight batch exactly once. Calls on one instance never overlap; two
 * instances on one ledger cannot reserve the same money twice (payee accounts may not go negative).
 *
 * @param ledger - the ledger (SQLite or PostgreSQL store).
 * @param options - chain, assets, payee registry, confirmations, schedule.
 * @returns a {@link Settlement}.
 * @throws {PayfiError} `PAYFI_INVALID_ARGUMENT`; its calls also `PAYFI_LOSSY_CONVERSION`,
 * `PAYFI_PENDING_ALREADY_RESOLVED`, `PAYFI_STORAGE_FAILED`.
 * @example
 * ```ts
 * import { createSettlement, createSimulatedChain, openSqliteLedger } from '@btt/payfi'
 * const operator = `0x${'11'.repeat(20)}`
 * const chain = createSimulatedChain({ operator })
 * const settlement = createSettlement(openSqliteLedger(':memory:'), {
 *   chain,
 *   assets: { CNY: { token: `0x${'22'.repeat(20)}`, decimals: 2 } },
 *   payees: { clinic_1: `0x${'33'.repeat(20)}` },
 * })
 * await settlement.run() // { runId, batches: [] } while nothing is owed
 * ```
 */
export function createSettlement(ledger: Ledger, options: SettlementOptions): Settlement {
  const o = parseSettlementOptions(ledger, options)
  let tail: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(f: () => Promise<T>): Promise<T> => {
    const next = tail.then(f)
    tail = next.catch(() => undefined)
    return next
  }
  let timer: NodeJS.Timeout | undefined
  let stopped = true

  const settle = async (batches: PlannedBatch[]) => {
    const out: BatchOutcome[] = []
    for (const b of batches) out.push(await driveBatch(ledger, b, driveOptions(o)))
    return out
  }

  const settlement: Settlement = {
    chainLabel: o.chain.label,
    assets: o.assets,
    run: () => exclusive(() => runOnce(ledger, o)),
    recover: () => exclusive(async () => settle(await inFlightBatches(ledger, o.assets, o.payees))),
    settleBatches: (batches) =>
      exclusive(async () => {
        const reserved: PlannedBatch[] = []
        for (const b of batches) if (await reserveOrSkip(ledger, b, o)) reserved.push(b)
        return settle(reserved)
      }),
    start() {
      if (!stopped) return
      stopped = false
      const tick = async () => {
        await settlement.recover().catch(() => undefined)
        await settlement.run().catch(() => undefined)
        if (!stopped) timer = setTimeout(tick, o.intervalMs)
      }
      timer = setTimeout(tick, 0)
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await tail
    },
  }
  return settlement
}

function driveOptions(o: ResolvedSettlementOptions): DriveOptions {
  return {
    chain: o.chain,
    confirmations: o.confirmations,
    pollMs: o.pollMs,
    confirmTimeoutMs: o.confirmTimeoutMs,
    onStep: o.onStep,
  }
}

/** Reserves a batch; a refusal because the money is already reserved elsewhere skips it. */
async function reserveOrSkip(ledger: Ledger, b: PlannedBatch, o: ResolvedSettlementOptions) {
  const r = await reserveBatch(ledger, b)
  if (!r.ok) {
    if (r.code === 'PAYFI_EXCEEDS_CREDITS' || r.code === 'PAYFI_ID_CONFLICT') return false
    throw payfiError(
      'PAYFI_INVALID_STATE',
      `Batch ${b.batchId} could not be reserved (${r.code}).`,
      {
        details: { batchId: b.batchId, refused: r.code },
      },
    )
  }
  await o.onStep('reserved', b.batchId, { transactionHash: null })
  return true
}

/**
 * One run: plan from current balances, reserve each batch; a batch refused because another run
 * reserved the same money meanwhile is planned again from fresh balances (at most 3 times).
 */
async function runOnce(ledger: Ledger, o: ResolvedSettlementOptions): Promise<SettlementRun> {
  const runId = o.runId()
  const reserved: PlannedBatch[] = []
  for (let attempt = 0; attempt < 3; attempt++) {
    const prefix = attempt === 0 ? runId : `${runId}-${attempt}`
    const planned = await planMerchantBatches(ledger, prefix, o.assets, o.payees)
    let refused = false
    for (const b of planned)
      if (await reserveOrSkip(ledger, b, o)) reserved.push(b)
      else refused = true
    if (!refused) break
  }
  const batches: BatchOutcome[] = []
  for (const b of reserved) batches.push(await driveBatch(ledger, b, driveOptions(o)))
  return { runId, chain: o.chain.label, batches }
}

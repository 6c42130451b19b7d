import { defaultConfig } from '@btt/core'
import { z } from 'zod'
import { parsePayfi } from '../errors.js'
import { type Currency, currencies } from '../ledger/currencies.js'
import type { Ledger } from '../ledger/types.js'
import { settlementIds } from '../settlement/accounts.js'
import { convertUnits } from '../settlement/convert.js'
import type { PayoutEvent, SettlementAsset, SettlementChain } from '../settlement/types.js'
import { type LedgerBatch, ledgerBatches } from './ledgerBatches.js'
import type { CurrencyTotals, Difference, ReconcileReport } from './types.js'

export type ReconcileOptions = {
  chain: SettlementChain
  assets: Partial<Record<Currency, SettlementAsset>>
  /**
   * A reservation older than this is reported `pending_too_long` (default: @btt/core's
   * `settlement.maxPendingSeconds`, 2 hours).
   */
  maxPendingMs?: number
  now?: () => number
}

const schema = z.object({
  chain: z.custom<SettlementChain>((c) => typeof c === 'object' && c !== null, 'a SettlementChain'),
  assets: z.record(z.string(), z.object({ token: z.string(), decimals: z.number().int() })),
  maxPendingMs: z.number().int().positive().optional(),
  now: z.function().optional(),
})

const sorted = (xs: bigint[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String)
const sum = (xs: bigint[]) => xs.reduce((s, x) => s + x, 0n)

/**
 * Compares the chain (every BatchPaid event of the payout contract, with the ERC-20 transfers
 * it made and what the operator moved into it) with the ledger (every settlement reservation, posted, voided or pending), batch by
 * batch and per currency, and lists every difference: paid in the ledger but not on chain, paid
 * on chain but not in the ledger, amounts that differ, payouts to other addresses than the
 * reservation recorded, reservations pending too long, and
 * `chain_payouts:<CCY>` posted credits that differ from what the chain paid in that asset.
 *
 * @param ledger - the ledger.
 * @param options - chain, assets per currency, `maxPendingMs`.
 * @returns the report; `differences` is empty when the two agree.
 * @throws {PayfiError} `PAYFI_INVALID_ARGUMENT`, `PAYFI_CHAIN_UNAVAILABLE`, `PAYFI_CHAIN_TIMEOUT`,
 * `PAYFI_LOSSY_CONVERSION`.
 */
export async function reconcile(
  ledger: Ledger,
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  parsePayfi(schema, options, 'reconcile options')
  const { chain, assets } = options
  const now = (options.now ?? Date.now)()
  const maxPending = options.maxPendingMs ?? defaultConfig.settlement.maxPendingSeconds * 1000
  const batches = await ledgerBatches(ledger)
  const events = new Map<string, PayoutEvent>()
  const chainEvents = await chain.payoutEvents()
  for (const e of chainEvents) events.set(e.batchKey.toLowerCase(), e)
  const differences: Difference[] = []
  for (const b of batches) {
    const key = chain.batchKey(b.batchId).toLowerCase()
    const ev = events.get(key)
    events.delete(key)
    differences.push(...compareBatch(b, ev, assets[b.currency], now, maxPending))
  }
  for (const e of events.values())
    differences.push({
      kind: 'missing_in_ledger',
      batchKey: e.batchKey,
      batchId: null,
      token: e.token,
      chainTotal: e.total.toString(),
      transactionHash: e.transactionHash,
    })
  const totals = await currencyTotals(ledger, assets, chainEvents)
  for (const t of totals)
    if (t.ledgerPosted !== t.chainPaid)
      differences.push({
        kind: 'balance_mismatch',
        currency: t.currency,
        token: t.token,
        ledgerPosted: t.ledgerPosted,
        chainPaid: t.chainPaid,
      })
  const count = (s: LedgerBatch['status']) => batches.filter((b) => b.status === s).length
  return {
    chain: chain.label,
    batches: {
      posted: count('posted'),
      pending: count('pending'),
      voided: count('voided'),
      chainEvents: chainEvents.length,
    },
    totals,
    differences,
  }
}

function compareBatch(
  b: LedgerBatch,
  ev: PayoutEvent | undefined,
  asset: SettlementAsset | undefined,
  now: number,
  maxPending: number,
): Difference[] {
  const toAsset = (x: bigint) =>
    asset
      ? convertUnits({ amount: x, from: currencies[b.currency].decimals, to: asset.decimals })
      : x
  const ledgerAmounts = b.amounts.map(toAsset)
  const out: Difference[] = []
  if (b.status === 'voided') {
    if (ev)
      out.push({
        kind: 'missing_in_ledger',
        batchKey: ev.batchKey,
        batchId: b.batchId,
        token: ev.token,
        chainTotal: ev.total.toString(),
        transactionHash: ev.transactionHash,
      })
    return out
  }
  if (b.status === 'pending' && now - b.reservedAt > maxPending)
    out.push({
      kind: 'pending_too_long',
      batchId: b.batchId,
      currency: b.currency,
      ageMs: now - b.reservedAt,
      paidOnChain: ev !== undefined,
    })
  if (!ev) {
    if (b.status === 'posted')
      out.push({
        kind: 'missing_on_chain',
        batchId: b.batchId,
        currency: b.currency,
        ledgerTotal: sum(ledgerAmounts).toString(),
      })
    return out
  }
  const chainAmounts = ev.transfers.map((t) => t.amount)
  const same =
    (!asset || asset.token.toLowerCase() === ev.token.toLowerCase()) &&
    sum(ledgerAmounts) === ev.total &&
    sum(chainAmounts) === ev.total &&
    ev.funded === ev.total &&
    sorted(ledgerAmounts).join() === sorted(chainAmounts).join()
  if (!same)
    out.push({
      kind: 'amount_mismatch',
      batchId: b.batchId,
      currency: b.currency,
      ledgerTotal: sum(ledgerAmounts).toString(),
      chainTotal: ev.total.toString(),
      ledgerAmounts: sorted(ledgerAmounts),
      chainAmounts: sorted(chainAmounts),
    })
  else out.push(...recipientDifference(b, ledgerAmounts, ev))
  return out
}

/** The chain paid the right amounts to other addresses than the reservation recorded. */
function recipientDifference(b: LedgerBatch, ledgerAmounts: bigint[], ev: PayoutEvent) {
  if (b.recipients.some((r) => r === null)) return [] // reserved before addresses were recorded
  const pairs = (xs: { to: string; amount: bigint }[]) =>
    xs.map((x) => `${x.to.toLowerCase()}:${x.amount}`).sort()
  const ledgerPayouts = pairs(b.recipients.map((to, i) => ({ to: to!, amount: ledgerAmounts[i]! })))
  const chainPayouts = pairs(ev.transfers)
  if (ledgerPayouts.join() === chainPayouts.join()) return []
  return [
    {
      kind: 'recipient_mismatch' as const,
      batchId: b.batchId,
      currency: b.currency,
      ledgerPayouts,
      chainPayouts,
    },
  ]
}

async function currencyTotals(
  ledger: Ledger,
  assets: Partial<Record<Currency, SettlementAsset>>,
  events: PayoutEvent[],
): Promise<CurrencyTotals[]> {
  const out: CurrencyTotals[] = []
  for (const currency of Object.keys(assets).sort() as Currency[]) {
    const asset = assets[currency]!
    const account = await ledger.getAccount(settlementIds.chainPayouts(currency))
    const conv = (x: bigint) =>
      convertUnits({ amount: x, from: currencies[currency].decimals, to: asset.decimals })
    const chainPaid = sum(
      events.filter((e) => e.token.toLowerCase() === asset.token.toLowerCase()).map((e) => e.total),
    )
    out.push({
      currency,
      token: asset.token,
      ledgerPosted: conv(account?.creditsPosted ?? 0n).toString(),
      ledgerInFlight: conv(account?.creditsPending ?? 0n).toString(),
      chainPaid: chainPaid.toString(),
    })
  }
  return out
}

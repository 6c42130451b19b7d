import { formatUnits } from '@btt/core'
import {
  accountIds,
  type BatchOutcome,
  createPayments,
  createSettlement,
  createSimulatedChain,
  type EpochStatement,
  type Ledger,
  type PayfiStore,
  type Payment,
  reconcile,
  settleEpoch,
  settlementIds,
} from '@btt/payfi'
import { Wallet } from 'ethers'
import { CLINIC } from './network.js'

/** The network's merchant account at PayFi: clinics pay it for compute. */
export const NETWORK_MERCHANT = 'btt_compute'
export const fundAccount = (fund: string) => `btt:${fund}:CNY`

export const cny = (fen: bigint | string) => `${formatUnits(BigInt(fen), 2, { trim: false })} CNY`
export const btt = (wei: bigint | string) => `${formatUnits(BigInt(wei), 18)} BTT`

/** Step 6: the clinic pays for the job through PayFi: create, authorize, capture (idempotent keys). */
export async function capturePayment(
  store: PayfiStore,
  o: { amount: bigint; orderId: string },
): Promise<Payment> {
  const payments = createPayments(store)
  const key = (step: string) => ({ idempotencyKey: `${o.orderId}-${step}` })
  const created = await payments.create(
    NETWORK_MERCHANT,
    {
      amount: formatUnits(o.amount, 2, { trim: false }),
      currency: 'CNY',
      metadata: { order_id: o.orderId, clinic_id: CLINIC, service_code: 'ai-chest-dx' },
    },
    key('create'),
  )
  await payments.authorize(NETWORK_MERCHANT, created.id, key('authorize'))
  return payments.capture(NETWORK_MERCHANT, created.id, {}, key('capture'))
}

/**
 * Step 7a: the captured revenue goes where the epoch statement says: the contributors' 70% to
 * `compute_revenue:CNY` (what `settleEpoch` pays the nodes from), 15% dev fund, 10% foundation,
 * 5% reserve. PayFi's processing fee was already taken from the network's merchant account at
 * capture, so it is borne by the reserve (its 5% less the fee).
 */
export async function fundEpoch(
  ledger: Ledger,
  o: { epochId: string; revenue: Record<string, string>; fee: bigint },
): Promise<{ reserveNet: bigint }> {
  const r = o.revenue
  const reserveNet = BigInt(r.reserve!) - o.fee
  const merchant = accountIds.merchant(NETWORK_MERCHANT, 'CNY')
  const funds = ['devFund', 'foundation', 'reserve'].map((f) => fundAccount(f))
  const created = await ledger.createAccounts([
    { id: settlementIds.computeRevenue('CNY'), currency: 'CNY' },
    ...funds.map((id) => ({ id, currency: 'CNY' as const })),
  ])
  if (created.outcome !== 'committed') throw created.error
  const legs = [
    {
      debit: merchant,
      credit: settlementIds.computeRevenue('CNY'),
      amount: BigInt(r.contributors!),
    },
    { debit: merchant, credit: funds[0]!, amount: BigInt(r.devFund!) },
    { debit: merchant, credit: funds[1]!, amount: BigInt(r.foundation!) },
    { debit: merchant, credit: funds[2]!, amount: reserveNet },
  ].filter((l) => l.amount > 0n)
  const written = await ledger.write({
    id: `split:${o.epochId}`,
    legs,
    metadata: { epoch_id: o.epochId, operation: 'revenue_split' },
  })
  if (written.outcome !== 'committed')
    throw written.outcome === 'refused' ? written.error : written.error
  return { reserveNet }
}

/** Step 7b: the statement's payout settled on PayFi's in-process SIMULATED chain. */
export async function settleOnSimulatedChain(ledger: Ledger, payout: EpochStatement) {
  const operator = Wallet.createRandom().address
  const tokens = { CNY: `0x${'c0'.repeat(20)}`, BTT: `0x${'b7'.repeat(20)}` }
  const chain = createSimulatedChain({ operator })
  chain.fund(tokens.CNY, operator, BigInt(payout.totals.revenueShare) * 10n ** 4n)
  chain.fund(tokens.BTT, operator, BigInt(payout.totals.emission))
  const settlement = createSettlement(ledger, {
    chain,
    assets: { CNY: { token: tokens.CNY, decimals: 6 }, BTT: { token: tokens.BTT, decimals: 18 } },
    payees: {},
    pollMs: 1,
  })
  const batches: BatchOutcome[] = await settleEpoch(ledger, settlement, payout)
  const onChain = await Promise.all(
    payout.nodes.map(async (n) => ({
      address: n.address,
      cny: await chain.balanceOf(tokens.CNY, n.address),
      btt: await chain.balanceOf(tokens.BTT, n.address),
    })),
  )
  const { differences } = await reconcile(ledger, { chain, assets: settlement.assets })
  return { label: chain.label, batches, onChain, tokens, differences }
}

/** Every account the journal touched, with its posted balance; debits and credits per currency. */
export async function ledgerBalance(ledger: Ledger) {
  const transfers = await ledger.queryTransfers({ limit: 10_000 })
  const ids = [...new Set(transfers.flatMap((t) => t.legs.flatMap((l) => [l.debit, l.credit])))]
  const accounts = (await Promise.all(ids.map((id) => ledger.getAccount(id)))).filter(
    (a) => a !== null,
  )
  const totals: Record<string, { debits: bigint; credits: bigint }> = {}
  for (const a of accounts) {
    const t = totals[a.currency] ?? { debits: 0n, credits: 0n }
    totals[a.currency] = t
    t.debits += a.debitsPosted
    t.credits += a.creditsPosted
  }
  accounts.sort((a, b) => (a.id < b.id ? -1 : 1))
  return { transfers: transfers.length, accounts, totals }
}

import fc from 'fast-check'
import { expect, test } from 'vitest'
import {
  accountIds,
  type Currency,
  createPayments,
  createSettlement,
  createSimulatedChain,
  openSqliteLedger,
  type PayfiStore,
  type Payment,
  reconcile,
  settlementIds,
} from '../../src/index.js'
import { addressOf } from '../settlement/helpers.js'

const operator = `0x${'0f'.repeat(20)}`
const FUND = 10n ** 20n
// CNY scales up (2 → 6 decimals); USD scales down (2 → 1): sub-unit dust stays owed
const assets = {
  CNY: { token: `0x${'c0'.repeat(20)}`, decimals: 6 },
  USD: { token: `0x${'d0'.repeat(20)}`, decimals: 1 },
} as const
const currenciesUsed: ('CNY' | 'USD')[] = ['CNY', 'USD']
const merchants = ['m0', 'm1', 'm2']
const payees = Object.fromEntries(merchants.map((m, i) => [m, addressOf(10 + i)]))
const scale = (c: 'CNY' | 'USD', x: bigint) => (c === 'CNY' ? x * 10n ** 4n : x / 10n)

const op = fc.oneof(
  fc.record({
    kind: fc.constant('pay' as const),
    merchant: fc.constantFrom(...merchants),
    currency: fc.constantFrom(...currenciesUsed),
    amount: fc.bigInt({ min: 1n, max: 10n ** 9n }),
    capturePermille: fc.integer({ min: 1, max: 1000 }),
    refundPermille: fc.integer({ min: 0, max: 1000 }),
  }),
  fc.record({
    kind: fc.constant('settle' as const),
    fault: fc.constantFrom('none', 'reorg', 'drop'),
  }),
)

async function checkInvariants(
  store: PayfiStore,
  chain: ReturnType<typeof createSimulatedChain>,
  payments: Payment[],
) {
  for (const c of currenciesUsed) {
    // debits equal credits per currency, posted and pending, over every account of the currency
    const ids = [
      accountIds.clearing(c),
      accountIds.fees(c),
      settlementIds.chainPayouts(c),
      ...merchants.map((m) => accountIds.merchant(m, c)),
    ]
    const accounts = (await Promise.all(ids.map((id) => store.getAccount(id)))).filter(
      (a) => a !== null,
    )
    const sum = (k: 'debitsPosted' | 'creditsPosted' | 'debitsPending' | 'creditsPending') =>
      accounts.reduce((s, a) => s + a[k], 0n)
    expect(sum('debitsPosted')).toBe(sum('creditsPosted'))
    expect(sum('debitsPending')).toBe(sum('creditsPending'))
    // the chain's balances equal the ledger's chain-payout account
    const out = await store.getAccount(settlementIds.chainPayouts(c))
    let onChain = 0n
    for (const m of merchants) onChain += await chain.balanceOf(assets[c].token, payees[m]!)
    expect(onChain).toBe(scale(c, out?.creditsPosted ?? 0n))
    expect(await chain.balanceOf(assets[c].token, operator)).toBe(FUND - onChain)
    // per merchant: what it holds in the ledger plus what it was paid = captured net less refunds
    for (const m of merchants) {
      const a = await store.getAccount(accountIds.merchant(m, c))
      const paid = await chain.balanceOf(assets[c].token, payees[m]!)
      const expected = payments
        .filter((p) => p.merchantId === m && p.quote.currency === c)
        .reduce(
          (s, p) => s + (p.amountCaptured - p.amountRefunded) - (p.feeCaptured - p.feeRefunded),
          0n,
        )
      const held = a ? a.creditsPosted - a.debitsPosted : 0n
      expect(held + (c === 'CNY' ? paid / 10n ** 4n : paid * 10n)).toBe(expected)
    }
  }
  for (const p of payments) expect(p.quote.fee + p.quote.net).toBe(p.quote.gross)
  expect((await reconcile(store, { chain, assets })).differences).toEqual([])
}

test('payments, refunds and settlement runs (with reorgs and drops): debits = credits per currency, fee + net = gross, the chain equals the ledger, reconciliation is clean', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
      const store = openSqliteLedger(':memory:')
      const chain = createSimulatedChain({ operator })
      for (const c of currenciesUsed) chain.fund(assets[c].token, operator, FUND)
      let fault: 'none' | 'reorg' | 'drop' = 'none'
      const settlement = createSettlement(store, {
        chain,
        assets,
        payees,
        pollMs: 1,
        confirmations: 3,
        onStep: (step, _b, { transactionHash }) => {
          if (fault === 'reorg' && step === 'mined') {
            chain.reorg(2) // the payout's block and the one on top: gone before 3 confirmations
            fault = 'none'
          }
          if (fault === 'drop' && step === 'sent') {
            chain.drop(transactionHash!)
            chain.setAutoMine(true)
            fault = 'none'
          }
        },
      })
      const pay = createPayments(store)
      const payments: Payment[] = []
      for (const [i, o] of ops.entries()) {
        if (o.kind === 'settle') {
          fault = o.fault
          if (fault === 'drop') chain.setAutoMine(false)
          const run = await settlement.run()
          chain.setAutoMine(true)
          expect(run.batches.every((b) => b.status === 'posted')).toBe(true)
          // the fault hit the first batch: it was sent twice and still paid once (checked below)
          if (o.fault !== 'none' && run.batches.length > 0) expect(run.batches[0]!.sends).toBe(2)
          await checkInvariants(store, chain, payments)
          continue
        }
        const k = (s: string) => ({ idempotencyKey: `${i}${s}` })
        const p = await pay.create(
          o.merchant,
          { amount: o.amount, currency: o.currency as Currency },
          k('c'),
        )
        await pay.authorize(o.merchant, p.id, k('a'))
        const captured = (o.amount * BigInt(o.capturePermille)) / 1000n || 1n
        let last = await pay.capture(o.merchant, p.id, { amount: captured }, k('k'))
        const refund = (captured * BigInt(o.refundPermille)) / 1000n
        if (refund > 0n) last = await pay.refund(o.merchant, p.id, { amount: refund }, k('r'))
        payments.push(last)
      }
      await settlement.run()
      await checkInvariants(store, chain, payments)
      await store.close()
    }),
    { numRuns: 25 },
  )
}, 120_000)

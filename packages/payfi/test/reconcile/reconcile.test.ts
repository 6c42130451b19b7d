import { expect, test } from 'vitest'
import {
  createSettlement,
  createSimulatedChain,
  openSqliteLedger,
  reconcile,
  settlementIds,
} from '../../src/index.js'
import { addressOf, capturePayments } from '../settlement/helpers.js'

const operator = `0x${'0f'.repeat(20)}`
const token = `0x${'c0'.repeat(20)}`
const assets = { CNY: { token, decimals: 2 } }

async function settled() {
  const store = openSqliteLedger(':memory:')
  const chain = createSimulatedChain({ operator })
  chain.fund(token, operator, 10n ** 12n)
  const payees = { m1: addressOf(1), m2: addressOf(2) }
  await capturePayments(store, [
    { merchant: 'm1', amount: 10_000n },
    { merchant: 'm2', amount: 20_000n },
  ])
  const settlement = createSettlement(store, { chain, assets, payees, pollMs: 1 })
  await settlement.run()
  return { store, chain }
}

test('the chain and the ledger agree after settlement: no differences, totals equal', async () => {
  const { store, chain } = await settled()
  const report = await reconcile(store, { chain, assets })
  expect(report.differences).toEqual([])
  expect(report.totals).toHaveLength(1)
  expect(report.totals[0]!.ledgerPosted).toBe(report.totals[0]!.chainPaid)
  expect(report.totals[0]!.ledgerInFlight).toBe('0')
})

test('an empty ledger and an empty chain agree', async () => {
  const report = await reconcile(openSqliteLedger(':memory:'), {
    chain: createSimulatedChain({ operator }),
    assets,
  })
  expect(report).toMatchObject({ differences: [], batches: { posted: 0, chainEvents: 0 } })
})

test('a payout on chain that the ledger does not know is missing in the ledger', async () => {
  const { store, chain } = await settled()
  await chain.send({ batchId: 'rogue.CNY.0', token, payouts: [{ to: addressOf(9), amount: 500n }] })
  const report = await reconcile(store, { chain, assets })
  expect(report.differences.map((d) => d.kind).sort()).toEqual([
    'balance_mismatch',
    'missing_in_ledger',
  ])
  expect(report.differences).toContainEqual(
    expect.objectContaining({ kind: 'missing_in_ledger', batchId: null, chainTotal: '500' }),
  )
})

test('a batch posted in the ledger but never paid is missing on chain; one paid with other amounts is a mismatch', async () => {
  const { store, chain } = await settled()
  const c = settlementIds.chainPayouts('CNY')
  await store.createAccounts([{ id: 'merchant:m3:CNY', currency: 'CNY' }])
  for (const [batchId, amount] of [
    ['ghost.CNY.0', 700n],
    ['short.CNY.0', 900n],
  ] as const) {
    await store.write({
      id: settlementIds.reserve(batchId),
      pending: true,
      legs: [{ debit: 'merchant:m3:CNY', credit: c, amount }],
      metadata: { settlement_id: batchId, operation: 'settlement' },
    })
    await store.write({ id: settlementIds.post(batchId), post: settlementIds.reserve(batchId) })
  }
  await chain.send({ batchId: 'short.CNY.0', token, payouts: [{ to: addressOf(3), amount: 899n }] })
  const report = await reconcile(store, { chain, assets })
  expect(report.differences).toContainEqual({
    kind: 'missing_on_chain',
    batchId: 'ghost.CNY.0',
    currency: 'CNY',
    ledgerTotal: '700',
  })
  expect(report.differences).toContainEqual(
    expect.objectContaining({
      kind: 'amount_mismatch',
      batchId: 'short.CNY.0',
      ledgerTotal: '900',
      chainTotal: '899',
    }),
  )
  expect(report.differences).toContainEqual(
    expect.objectContaining({ kind: 'balance_mismatch', currency: 'CNY' }),
  )
})

test('a batch the operator funded with another amount than it paid out is a mismatch', async () => {
  const { store, chain } = await settled()
  const events = chain.payoutEvents.bind(chain)
  chain.payoutEvents = async () => (await events()).map((e) => ({ ...e, funded: e.total + 1n }))
  const report = await reconcile(store, { chain, assets })
  expect(report.differences).toEqual([expect.objectContaining({ kind: 'amount_mismatch' })])
})

test('a reservation left pending past the limit is reported, with whether the chain paid it', async () => {
  const store = openSqliteLedger(':memory:')
  const chain = createSimulatedChain({ operator })
  chain.fund(token, operator, 10n ** 12n)
  await capturePayments(store, [{ merchant: 'm1', amount: 10_000n }])
  const settlement = createSettlement(store, {
    chain,
    assets,
    payees: { m1: addressOf(1) },
    pollMs: 1,
    confirmTimeoutMs: 1,
  })
  chain.setAutoMine(false) // sent, never mined: the run gives up waiting and leaves it in flight
  const run = await settlement.run()
  expect(run.batches).toMatchObject([{ status: 'in_flight' }])
  const early = await reconcile(store, { chain, assets })
  expect(early.differences).toEqual([])
  expect(early.totals[0]!.ledgerInFlight).not.toBe('0')
  const late = await reconcile(store, { chain, assets, now: () => Date.now() + 3 * 3_600_000 })
  expect(late.differences).toEqual([
    expect.objectContaining({ kind: 'pending_too_long', paidOnChain: false }),
  ])
  // recover() finishes it once the chain mines again
  chain.setAutoMine(true)
  expect(await settlement.recover()).toMatchObject([{ status: 'posted' }])
  expect((await reconcile(store, { chain, assets })).differences).toEqual([])
})

test('bad options are refused with a coded error', async () => {
  await expect(reconcile(openSqliteLedger(':memory:'), { assets } as never)).rejects.toMatchObject({
    code: 'PAYFI_INVALID_ARGUMENT',
  })
})

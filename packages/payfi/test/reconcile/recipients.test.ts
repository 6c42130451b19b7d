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

test('a batch paid in the right amounts to another address than the reservation recorded is a recipient mismatch', async () => {
  const store = openSqliteLedger(':memory:')
  const chain = createSimulatedChain({ operator })
  chain.fund(token, operator, 10n ** 12n)
  await capturePayments(store, [{ merchant: 'm1', amount: 10_000n }])
  // a clean settlement first: recorded addresses equal the paid ones
  await createSettlement(store, { chain, assets, payees: { m1: addressOf(1) }, pollMs: 1 }).run()
  expect((await reconcile(store, { chain, assets })).differences).toEqual([])

  await capturePayments(store, [{ merchant: 'm1', amount: 5_000n }], 'q')
  const owed = (await store.getAccount('merchant:m1:CNY'))!
  const amount = owed.creditsPosted - owed.debitsPosted
  const batchId = 'diverted.CNY.0'
  await store.write({
    id: settlementIds.reserve(batchId),
    pending: true,
    legs: [{ debit: 'merchant:m1:CNY', credit: settlementIds.chainPayouts('CNY'), amount }],
    metadata: { settlement_id: batchId, operation: 'settlement', payout_address_0: addressOf(1) },
  })
  await store.write({ id: settlementIds.post(batchId), post: settlementIds.reserve(batchId) })
  await chain.send({ batchId, token, payouts: [{ to: addressOf(66), amount }] })
  const report = await reconcile(store, { chain, assets })
  expect(report.differences).toEqual([
    {
      kind: 'recipient_mismatch',
      batchId,
      currency: 'CNY',
      ledgerPayouts: [`${addressOf(1)}:${amount}`],
      chainPayouts: [`${addressOf(66)}:${amount}`],
    },
  ])
  await store.close()
})

import { describe, expect, test } from 'vitest'
import {
  createSettlement,
  createSimulatedChain,
  openSqliteLedger,
  reconcile,
  type SettlementStep,
  settlementIds,
} from '../../src/index.js'
import { addressOf, capturePayments, chainPayouts, owed } from './helpers.js'

const operator = `0x${'0f'.repeat(20)}`
const token = `0x${'c0'.repeat(20)}`
const assets = { CNY: { token, decimals: 2 } }

/** A ledger with captured payments for two clinics, on a funded simulated chain. */
async function setup() {
  const store = openSqliteLedger(':memory:')
  const chain = createSimulatedChain({ operator })
  chain.fund(token, operator, 10n ** 15n)
  const net = await capturePayments(store, [
    { merchant: 'clinic_a', amount: 20_000n },
    { merchant: 'clinic_b', amount: 7_500n },
  ])
  return { store, chain, net }
}

const stopAt = (at: SettlementStep) => (step: SettlementStep) => {
  if (step === at) throw new Error(`stopped at ${step}`)
}

describe('a payout address is recorded with the reservation', () => {
  for (const at of ['reserved', 'sent'] as const)
    test(`the registry changes after '${at}': recover() pays the planned addresses, exactly once`, async () => {
      const { store, chain, net } = await setup()
      const planned = { clinic_a: addressOf(1), clinic_b: addressOf(2) }
      const base = { chain, assets, pollMs: 1 }
      // after 'sent' the transaction is still in the pool, and the node then drops it: recover()
      // must send the batch again
      chain.setAutoMine(at !== 'sent')
      let sent: string | null = null
      await expect(
        createSettlement(store, {
          ...base,
          payees: planned,
          onStep: (step, _batchId, { transactionHash }) => {
            sent = transactionHash
            stopAt(at)(step)
          },
        }).run(),
      ).rejects.toThrow(`stopped at ${at}`)
      if (sent) chain.drop(sent)
      chain.setAutoMine(true)
      const [reservation] = await store.queryTransfers({ metadata: { operation: 'settlement' } })
      expect(reservation!.metadata).toMatchObject({
        payout_address_0: planned.clinic_a,
        payout_address_1: planned.clinic_b,
      })
      // clinic_a moved its payout address while its batch was in flight
      const changed = { clinic_a: addressOf(91), clinic_b: addressOf(2) }
      const after = createSettlement(store, { ...base, payees: changed })
      expect(await after.recover()).toMatchObject([{ status: 'posted', payouts: 2, sends: 1 }])
      expect(await chain.balanceOf(token, planned.clinic_a)).toBe(net.get('clinic_a'))
      expect(await chain.balanceOf(token, changed.clinic_a)).toBe(0n)
      expect(await chain.balanceOf(token, planned.clinic_b)).toBe(net.get('clinic_b'))
      const events = await chain.payoutEvents()
      expect(events).toHaveLength(1)
      expect(events[0]!.transfers.map((t) => t.to)).toEqual([planned.clinic_a, planned.clinic_b])
      // nothing owed, nothing pending; a later run (new registry) has nothing left to pay
      expect(await owed(store, 'clinic_a')).toBe(0n)
      const total = [...net.values()].reduce((a, b) => a + b, 0n)
      expect(await chainPayouts(store)).toEqual({ posted: total, pending: 0n })
      expect((await after.run()).batches).toEqual([])
      expect(await after.recover()).toEqual([])
      expect((await chain.payoutEvents()).length).toBe(1)
      expect((await reconcile(store, { chain, assets })).differences).toEqual([])
      await store.close()
    })

  test('the next batch after the change pays the new address', async () => {
    const { store, chain, net } = await setup()
    const base = { chain, assets, pollMs: 1 }
    await createSettlement(store, { ...base, payees: { clinic_a: addressOf(1) } }).run()
    await capturePayments(store, [{ merchant: 'clinic_a', amount: 10_000n }], 'q')
    const run = await createSettlement(store, {
      ...base,
      payees: { clinic_a: addressOf(91) },
    }).run()
    expect(run.batches.map((b) => b.status)).toEqual(['posted'])
    expect(await chain.balanceOf(token, addressOf(1))).toBe(net.get('clinic_a'))
    expect(await chain.balanceOf(token, addressOf(91))).toBe(run.batches[0]!.total)
    await store.close()
  })

  test('a reservation written without recorded addresses still takes them from the registry', async () => {
    const store = openSqliteLedger(':memory:')
    const chain = createSimulatedChain({ operator })
    chain.fund(token, operator, 10n ** 15n)
    const net = await capturePayments(store, [{ merchant: 'clinic_a', amount: 9_000n }])
    await store.createAccounts([{ id: settlementIds.chainPayouts('CNY'), currency: 'CNY' }])
    const batchId = 'rold.CNY.0'
    const written = await store.write({
      id: settlementIds.reserve(batchId),
      pending: true,
      legs: [
        {
          debit: 'merchant:clinic_a:CNY',
          credit: settlementIds.chainPayouts('CNY'),
          amount: net.get('clinic_a')!,
        },
      ],
      metadata: { settlement_id: batchId, operation: 'settlement' },
    })
    expect(written.outcome).toBe('committed')
    const base = { chain, assets, pollMs: 1 }
    await expect(createSettlement(store, { ...base, payees: {} }).recover()).rejects.toMatchObject({
      code: 'PAYFI_INVALID_ARGUMENT',
    })
    const outcome = await createSettlement(store, {
      ...base,
      payees: { clinic_a: addressOf(5) },
    }).recover()
    expect(outcome).toMatchObject([{ status: 'posted' }])
    expect(await chain.balanceOf(token, addressOf(5))).toBe(net.get('clinic_a'))
    await store.close()
  })

  test('a payout address that is not an opaque identifier cannot be smuggled into metadata', async () => {
    const store = openSqliteLedger(':memory:')
    await store.createAccounts([
      { id: 'a:CNY', currency: 'CNY' },
      { id: 'b:CNY', currency: 'CNY' },
    ])
    const r = await store
      .write({
        id: 't1',
        legs: [{ debit: 'a:CNY', credit: 'b:CNY', amount: 1n }],
        metadata: { payout_address_0: 'Jane Doe, 1 Main St' },
      })
      .catch((e: unknown) => e)
    expect(r).toMatchObject({ code: 'PAYFI_METADATA_REFUSED' })
    await store.close()
  })
})

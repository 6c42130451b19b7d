import { describe, expect, test } from 'vitest'
import {
  type ChainBatch,
  createPayments,
  createSettlement,
  createSimulatedChain,
  reconcile,
} from '../../src/index.js'
import { backends } from '../backends.js'
import { addressOf, chainPayouts, owed } from './helpers.js'

const operator = `0x${'0f'.repeat(20)}`
const token = `0x${'c0'.repeat(20)}`
const assets = { CNY: { token, decimals: 2 } }

describe.each(backends())('$name ledger', ({ open }) => {
  test('settlement, a crash between reservation and payment, recover: paid once; concurrent runs pay once', async () => {
    const store = await open()
    const chain = createSimulatedChain({ operator })
    chain.fund(token, operator, 10n ** 12n)
    const payees = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`clinic_${i}`, addressOf(300 + i)]),
    )
    const pay = createPayments(store)
    for (const [i, m] of Object.keys(payees).entries()) {
      const p = await pay.create(
        m,
        { amount: BigInt(10_000 + i), currency: 'CNY' },
        { idempotencyKey: `c${i}` },
      )
      await pay.authorize(m, p.id, { idempotencyKey: `a${i}` })
      await pay.capture(m, p.id, {}, { idempotencyKey: `k${i}` })
    }
    // a process that stops right after reserving (the step hook throws)
    const crashing = createSettlement(store, {
      chain,
      assets,
      payees,
      pollMs: 1,
      onStep: (step) => {
        if (step === 'reserved') throw new Error('crash after the reservation')
      },
    })
    await expect(crashing.run()).rejects.toThrow('crash after the reservation')
    expect((await chainPayouts(store)).pending).toBeGreaterThan(0n)
    const make = () => createSettlement(store, { chain, assets, payees, pollMs: 1 })
    const recovered = await make().recover()
    expect(recovered.map((b) => b.status)).toEqual(['posted'])
    // what the crashed run had not reserved (the second batch of 16 + 4) is paid by the next runs
    const [r1, r2] = await Promise.all([make().run(), make().run()])
    expect(r1.batches.length + r2.batches.length).toBe(1)
    for (const m of Object.keys(payees)) expect(await owed(store, m)).toBe(0n)
    expect((await chain.payoutEvents()).length).toBe(2)
    expect(await chainPayouts(store)).toMatchObject({ pending: 0n })
    expect((await reconcile(store, { chain, assets })).differences).toEqual([])
  })
})

test('nothing that reaches the chain carries payment metadata: only the batch id, token, addresses and amounts', async () => {
  const [sqlite] = backends()
  const store = await sqlite!.open()
  const chain = createSimulatedChain({ operator })
  chain.fund(token, operator, 10n ** 12n)
  const sent: ChainBatch[] = []
  const send = chain.send.bind(chain)
  chain.send = (batch, o) => {
    sent.push(batch)
    return send(batch, o)
  }
  const pay = createPayments(store)
  const p = await pay.create(
    'clinic_x',
    {
      amount: '88.00',
      currency: 'CNY',
      metadata: { order_id: 'ORDER-7731', invoice_id: 'INV-99' },
    },
    { idempotencyKey: 'c' },
  )
  await pay.authorize('clinic_x', p.id, { idempotencyKey: 'a' })
  await pay.capture('clinic_x', p.id, {}, { idempotencyKey: 'k' })
  await createSettlement(store, {
    chain,
    assets,
    payees: { clinic_x: addressOf(1) },
    pollMs: 1,
  }).run()
  expect(sent).toHaveLength(1)
  expect(Object.keys(sent[0]!).sort()).toEqual(['batchId', 'payouts', 'token'])
  expect(sent[0]!.batchId).toMatch(/^r[0-9T]+[a-z0-9]+\.CNY\.0$/)
  const text = JSON.stringify(sent, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
  for (const s of ['ORDER-7731', 'INV-99', 'clinic_x', p.id]) expect(text).not.toContain(s)
})

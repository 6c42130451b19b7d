import { payfiFee } from '@btt/core'
import { describe, expect, test } from 'vitest'
import {
  accountIds,
  createPayments,
  fixedRates,
  type PayfiStore,
  type RateSource,
} from '../src/index.js'
import { backends } from './backends.js'

const key = (k: string) => ({ idempotencyKey: k })

async function balances(store: PayfiStore, merchant: string, c = 'CNY' as const) {
  const net = async (id: string) => {
    const a = await store.getAccount(id)
    return a ? a.creditsPosted - a.debitsPosted : 0n
  }
  return {
    clearing: await net(accountIds.clearing(c)),
    merchant: await net(accountIds.merchant(merchant, c)),
    fees: await net(accountIds.fees(c)),
  }
}

describe.each(backends())('$name payments', ({ open }) => {
  test('create → authorize → partial capture → partial and full refund: fee + net = gross at each step', async () => {
    const store = await open()
    const pay = createPayments(store)
    const p = await pay.create(
      'clinic_a',
      { amount: '1000.00', currency: 'CNY', metadata: { order_id: 'A-1' } },
      key('c1'),
    )
    const expected = payfiFee(100_000n)
    expect([p.quote.gross, p.quote.fee, p.quote.net]).toEqual([
      expected.gross,
      expected.fee,
      expected.net,
    ])
    expect(p.quote.fee + p.quote.net).toBe(p.quote.gross)
    await pay.authorize('clinic_a', p.id, key('a1'))
    expect((await store.getAccount(accountIds.merchant('clinic_a', 'CNY')))!.creditsPending).toBe(
      expected.net,
    )
    const c = await pay.capture('clinic_a', p.id, { amount: '600.00' }, key('cap1'))
    expect(c.status).toBe('captured')
    expect(c.feeCaptured).toBe(payfiFee(60_000n).fee)
    expect(await balances(store, 'clinic_a')).toEqual({
      clearing: -60_000n,
      merchant: 60_000n - c.feeCaptured,
      fees: c.feeCaptured,
    })
    expect((await store.getAccount(accountIds.merchant('clinic_a', 'CNY')))!.creditsPending).toBe(
      0n,
    )
    const r1 = await pay.refund('clinic_a', p.id, { amount: 25_000n }, key('r1'))
    expect(r1.status).toBe('captured')
    expect(r1.feeRefunded).toBe((c.feeCaptured * 25_000n) / 60_000n)
    const r2 = await pay.refund('clinic_a', p.id, {}, key('r2'))
    expect(r2.status).toBe('refunded')
    expect([r2.amountRefunded, r2.feeRefunded]).toEqual([60_000n, c.feeCaptured])
    expect(await balances(store, 'clinic_a')).toEqual({ clearing: 0n, merchant: 0n, fees: 0n })
    // events: one per change, in sequence
    const events = await store.events(p.id)
    expect(events.map((e) => [e.objectSeq, e.type])).toEqual([
      [1, 'payment.created'],
      [2, 'payment.authorized'],
      [3, 'payment.captured'],
      [4, 'payment.refunded'],
      [5, 'payment.refunded'],
    ])
  })

  test('refund larger than what is left, capture after cancel, capture beyond authorized: typed errors', async () => {
    const store = await open()
    const pay = createPayments(store)
    const p = await pay.create('m1', { amount: 5000n, currency: 'CNY' }, key('c'))
    await pay.authorize('m1', p.id, key('a'))
    await expect(pay.capture('m1', p.id, { amount: 5001n }, key('x'))).rejects.toMatchObject({
      code: 'PAYFI_CAPTURE_EXCEEDS_AUTHORIZED',
    })
    await pay.capture('m1', p.id, {}, key('cap'))
    await expect(pay.refund('m1', p.id, { amount: 5001n }, key('r'))).rejects.toMatchObject({
      code: 'PAYFI_REFUND_EXCEEDS_CAPTURED',
    })
    await pay.refund('m1', p.id, { amount: 5000n }, key('r-all'))
    await expect(pay.refund('m1', p.id, { amount: 1n }, key('r-more'))).rejects.toMatchObject({
      code: 'PAYFI_INVALID_STATE',
    })
    const q = await pay.create('m1', { amount: 5000n, currency: 'CNY' }, key('c2'))
    await pay.authorize('m1', q.id, key('a2'))
    expect((await pay.cancel('m1', q.id, key('x2'))).status).toBe('canceled')
    await expect(pay.capture('m1', q.id, {}, key('cap2'))).rejects.toMatchObject({
      code: 'PAYFI_INVALID_STATE',
    })
    expect(await balances(store, 'm1')).toEqual({ clearing: 0n, merchant: 0n, fees: 0n })
  })

  test('amounts negative, zero, fractional, beyond precision, numbers, unknown currency: typed errors, nothing stored', async () => {
    const store = await open()
    const pay = createPayments(store)
    const cases: [unknown, unknown, string][] = [
      [-1n, 'CNY', 'PAYFI_INVALID_AMOUNT'],
      [0n, 'CNY', 'PAYFI_INVALID_AMOUNT'],
      ['0.00', 'CNY', 'PAYFI_INVALID_AMOUNT'],
      ['10.005', 'CNY', 'PAYFI_INVALID_AMOUNT'],
      ['1.5', 'POINTS', 'PAYFI_INVALID_AMOUNT'],
      [12.5, 'CNY', 'PAYFI_INVALID_AMOUNT'],
      [100, 'CNY', 'PAYFI_INVALID_AMOUNT'],
      ['abc', 'CNY', 'PAYFI_INVALID_AMOUNT'],
      [100n, 'EUR', 'PAYFI_UNKNOWN_CURRENCY'],
      [100n, undefined, 'PAYFI_UNKNOWN_CURRENCY'],
    ]
    for (const [amount, currency, code] of cases)
      await expect(
        pay.create(
          'm1',
          { amount, currency } as never,
          key(`k-${String(amount)}-${String(currency)}`),
        ),
      ).rejects.toMatchObject({ code })
    expect(await pay.list('m1')).toEqual([])
  })

  test('idempotency: same params → first result; other params → PAYFI_IDEMPOTENCY_CONFLICT; concurrent calls → one payment', async () => {
    const store = await open()
    const pay = createPayments(store)
    const a = await pay.create('m1', { amount: '10.00', currency: 'CNY' }, key('same'))
    const b = await pay.create('m1', { amount: '10.00', currency: 'CNY' }, key('same'))
    expect(b).toEqual(a)
    await expect(
      pay.create('m1', { amount: '11.00', currency: 'CNY' }, key('same')),
    ).rejects.toMatchObject({ code: 'PAYFI_IDEMPOTENCY_CONFLICT' })
    // the same key under another merchant is another key
    const other = await pay.create('m2', { amount: '10.00', currency: 'CNY' }, key('same'))
    expect(other.id).not.toBe(a.id)
    const many = await Promise.all(
      Array.from({ length: 25 }, () =>
        pay.create('m1', { amount: '20.00', currency: 'CNY' }, key('burst')),
      ),
    )
    expect(new Set(many.map((p) => p.id)).size).toBe(1)
    await pay.authorize('m1', many[0]!.id, key('auth'))
    const caps = await Promise.all(
      Array.from({ length: 10 }, () =>
        pay.capture('m1', many[0]!.id, { amount: 1500n }, key('cap')),
      ),
    )
    expect(new Set(caps.map((p) => p.version)).size).toBe(1)
    expect((await pay.list('m1')).length).toBe(2)
    expect((await balances(store, 'm1')).clearing).toBe(-1500n)
  })

  test('concurrent capture and cancel with different keys: exactly one wins', async () => {
    const store = await open()
    const pay = createPayments(store)
    const p = await pay.create('m1', { amount: 7000n, currency: 'CNY' }, key('c'))
    await pay.authorize('m1', p.id, key('a'))
    const results = await Promise.allSettled([
      pay.capture('m1', p.id, {}, key('cap')),
      pay.cancel('m1', p.id, key('can')),
    ])
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1)
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(rejected.reason.code).toBe('PAYFI_INVALID_STATE')
    const b = await balances(store, 'm1')
    expect(b.clearing === 0n || b.clearing === -7000n).toBe(true)
  })

  test('a merchant reads and changes only its own payments: not found, never a leak', async () => {
    const store = await open()
    const pay = createPayments(store)
    const p = await pay.create('m1', { amount: 100n, currency: 'CNY' }, key('c'))
    await expect(pay.retrieve('m2', p.id)).rejects.toMatchObject({
      code: 'PAYFI_PAYMENT_NOT_FOUND',
    })
    await expect(pay.authorize('m2', p.id, key('a'))).rejects.toMatchObject({
      code: 'PAYFI_PAYMENT_NOT_FOUND',
    })
    await expect(pay.retrieve('m2', 'pay_missing')).rejects.toMatchObject({
      code: 'PAYFI_PAYMENT_NOT_FOUND',
    })
    expect(await pay.list('m2')).toEqual([])
    expect((await pay.retrieve('m1', p.id)).id).toBe(p.id)
  })

  test('FX: the rate and its timestamp are recorded; stale or failing sources are typed errors', async () => {
    let now = 1_700_000_000_000
    const store = await open(() => now)
    const pay = createPayments(store, {
      rates: fixedRates({ 'USD/CNY': '7.1234' }, () => now),
      now: () => now,
    })
    const p = await pay.create(
      'm1',
      { amount: '100.00', currency: 'USD', settlementCurrency: 'CNY' },
      key('fx'),
    )
    expect(p.quote.fx).toMatchObject({
      from: 'USD',
      to: 'CNY',
      rate: '7.1234',
      rateTimestamp: now,
      sourceAmount: 10_000n,
      amount: 71_234n,
    })
    expect(p.quote.lines.map((l) => l.label)).toContain('fx conversion')
    expect(p.quote.fee + p.quote.net).toBe(p.quote.gross)
    const stale: RateSource = async () => ({ rate: '7.1', timestamp: now - 120_000 })
    const failing: RateSource = async () => {
      throw new Error('feed down')
    }
    const slow = createPayments(store, { rates: stale, now: () => now })
    await expect(
      slow.create('m1', { amount: 100n, currency: 'USD', settlementCurrency: 'CNY' }, key('s')),
    ).rejects.toMatchObject({ code: 'PAYFI_RATE_STALE' })
    const down = createPayments(store, { rates: failing, now: () => now })
    await expect(
      down.create('m1', { amount: 100n, currency: 'USD', settlementCurrency: 'CNY' }, key('d')),
    ).rejects.toMatchObject({ code: 'PAYFI_RATE_UNAVAILABLE' })
    const none = createPayments(store)
    await expect(
      none.create('m1', { amount: 100n, currency: 'USD', settlementCurrency: 'CNY' }, key('n')),
    ).rejects.toMatchObject({ code: 'PAYFI_RATE_UNAVAILABLE' })
    now += 1
    expect((await pay.list('m1')).length).toBe(1)
  })
})

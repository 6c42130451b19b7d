import { createServer, type IncomingMessage, type Server } from 'node:http'
import { afterEach, describe, expect, test } from 'vitest'
import {
  accountIds,
  createPayments,
  createWebhookDispatcher,
  openSqliteLedger,
  PARKED,
  signWebhook,
  verifyWebhook,
} from '../src/index.js'

const secret = 'whsec_test_0123456789abcdef'
const servers: Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r))
})

type Received = { raw: Buffer; headers: IncomingMessage['headers'] }

async function receiver(
  answer: (n: number, req: IncomingMessage) => number | 'hang',
): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = []
  let n = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      got.push({ raw: Buffer.concat(chunks), headers: req.headers })
      const a = answer(++n, req)
      if (a === 'hang') {
        res.writeHead(200)
        res.write('{') // headers sent, body never finished: the timeout covers the body too
        return
      }
      res.writeHead(a).end('ok')
    })
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, got }
}

describe('webhook signatures', () => {
  const body = '{"id":"evt_1","type":"payment.captured"}'
  const t = 1_700_000_000

  test('verifies the raw body; a re-serialised, tampered or stale body is refused', () => {
    const header = signWebhook(body, secret, t)
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/)
    expect(verifyWebhook(Buffer.from(body), header, secret, { now: t + 10 })).toEqual(
      JSON.parse(body),
    )
    const reserialised = JSON.stringify(JSON.parse(body), null, 1)
    expect(() => verifyWebhook(reserialised, header, secret, { now: t })).toThrow(
      expect.objectContaining({ code: 'PAYFI_WEBHOOK_SIGNATURE_INVALID' }),
    )
    expect(() =>
      verifyWebhook(body.replace('captured', 'refunded'), header, secret, { now: t }),
    ).toThrow(expect.objectContaining({ code: 'PAYFI_WEBHOOK_SIGNATURE_INVALID' }))
    expect(() => verifyWebhook(body, header, `${secret}x`, { now: t })).toThrow(
      expect.objectContaining({ code: 'PAYFI_WEBHOOK_SIGNATURE_INVALID' }),
    )
    expect(() => verifyWebhook(body, header, secret, { now: t + 301 })).toThrow(
      expect.objectContaining({ code: 'PAYFI_WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE' }),
    )
    expect(
      verifyWebhook(body, header, secret, { now: t + 600, toleranceSeconds: 900 }),
    ).toBeTruthy()
    for (const bad of [
      undefined,
      '',
      't=abc,v1=00',
      `v1=${'0'.repeat(64)}`,
      `t=${t}`,
      `t=${t},v1=zz`,
    ])
      expect(() => verifyWebhook(body, bad, secret, { now: t })).toThrow(
        expect.objectContaining({ code: 'PAYFI_WEBHOOK_SIGNATURE_INVALID' }),
      )
    // two signatures (secret rotation): either may match
    const rotated = `${header},v1=${'a'.repeat(64)}`
    expect(verifyWebhook(body, rotated, secret, { now: t })).toBeTruthy()
  })
})

describe('outbox delivery', () => {
  test('events reach the endpoint signed, at least once, retried with exponential backoff', async () => {
    let now = 1_700_000_000_000
    const store = openSqliteLedger(':memory:', { now: () => now })
    const pay = createPayments(store, { now: () => now })
    const { url, got } = await receiver((n) => (n <= 2 ? 500 : 200))
    const d = createWebhookDispatcher(store, {
      endpoint: () => ({ url, secret }),
      now: () => now,
      baseDelayMs: 1000,
    })
    const p = await pay.create('m1', { amount: 100n, currency: 'CNY' }, { idempotencyKey: 'k' })
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 1 })
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0 }) // not due yet
    now += 1000
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 1 })
    now += 1999
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0 }) // second delay is 2 s
    now += 1
    expect(await d.runOnce()).toEqual({ delivered: 1, failed: 0 })
    expect(got).toHaveLength(3)
    const last = got[2]!
    const event = verifyWebhook(last.raw, last.headers['payfi-signature'] as string, secret, {
      now: Math.floor(now / 1000),
    }) as { id: string; sequence: number; data: { id: string } }
    expect(event).toMatchObject({ type: 'payment.created', sequence: 1, data: { id: p.id } })
    expect(last.headers['payfi-event-id']).toBe(event.id)
    expect((await store.events(p.id))[0]!.deliveredAt).toBe(now)
    await store.close()
  })

  test('an empty outbox delivers nothing and calls nobody', async () => {
    const store = openSqliteLedger(':memory:')
    let calls = 0
    const d = createWebhookDispatcher(store, {
      endpoint: () => {
        calls++
        return null
      },
    })
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0 })
    expect(calls).toBe(0)
    await store.close()
  })

  test('a hung body is cut by the timeout; after maxAttempts the event is parked, not lost', async () => {
    const now = 1_700_000_000_000
    const store = openSqliteLedger(':memory:', { now: () => now })
    const pay = createPayments(store, { now: () => now })
    const { url } = await receiver(() => 'hang')
    const d = createWebhookDispatcher(store, {
      endpoint: () => ({ url, secret }),
      now: () => now,
      timeoutMs: 300,
      maxAttempts: 1,
    })
    const p = await pay.create('m1', { amount: 100n, currency: 'CNY' }, { idempotencyKey: 'k' })
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 1 })
    const [row] = await store.events(p.id)
    expect(row!.lastError).toMatch(/within 300 ms/)
    expect(row!.nextAttemptAt).toBe(PARKED)
    expect(row!.deliveredAt).toBeNull()
    await store.close()
  })

  test('the outbox row commits with the change or not at all', async () => {
    const store = openSqliteLedger(':memory:')
    const pay = createPayments(store)
    const p = await pay.create('m1', { amount: 10_000n, currency: 'CNY' }, { idempotencyKey: 'k' })
    await pay.authorize('m1', p.id, { idempotencyKey: 'a' })
    const c = await pay.capture('m1', p.id, {}, { idempotencyKey: 'c' })
    // the merchant's balance is paid out, so the ledger refuses the refund's debit
    await store.createAccounts([{ id: 'bank:CNY', currency: 'CNY' }])
    const payout = await store.write({
      id: 'payout',
      legs: [{ debit: accountIds.merchant('m1', 'CNY'), credit: 'bank:CNY', amount: c.quote.net }],
    })
    expect(payout.outcome).toBe('committed')
    await expect(pay.refund('m1', p.id, {}, { idempotencyKey: 'r' })).rejects.toMatchObject({
      code: 'PAYFI_EXCEEDS_CREDITS',
    })
    expect((await store.events(p.id)).map((e) => e.type)).toEqual([
      'payment.created',
      'payment.authorized',
      'payment.captured',
    ])
    expect((await pay.retrieve('m1', p.id)).version).toBe(3)
    expect(await store.getIdempotency('m1', 'r')).toBeNull()
    await store.close()
  })
})

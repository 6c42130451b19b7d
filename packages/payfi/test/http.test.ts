import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createApiKey, createPayfiServer, createPayments, openSqliteLedger } from '../src/index.js'

const store = openSqliteLedger(':memory:')
const server = createPayfiServer({ store, payments: createPayments(store) })
let base = ''
let keyA = ''
let keyB = ''
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/payments`
  keyA = await createApiKey(store, 'clinic_a')
  keyB = await createApiKey(store, 'clinic_b')
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  await store.close()
})

async function call(
  method: string,
  path: string,
  key: string | null,
  body?: unknown,
  idem?: string,
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(idem ? { 'idempotency-key': idem } : {}),
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

test('a CNY payment over REST: create, authorize, capture, refund; replays answer the first result', async () => {
  const created = await call(
    'POST',
    '',
    keyA,
    { amount: '100.00', currency: 'CNY', metadata: { order_id: 'ord-1' } },
    'k1',
  )
  expect(created.status).toBe(201)
  expect(created.body).toMatchObject({
    status: 'created',
    quote: { gross: '10000', fee: '80', net: '9920' },
  })
  const id = created.body.id as string
  const replay = await call(
    'POST',
    '',
    keyA,
    { amount: '100.00', currency: 'CNY', metadata: { order_id: 'ord-1' } },
    'k1',
  )
  expect(replay.body.id).toBe(id)
  expect((await call('POST', `/${id}/authorize`, keyA, undefined, 'k2')).body.status).toBe(
    'authorized',
  )
  expect(
    (await call('POST', `/${id}/capture`, keyA, { amount: '50.00' }, 'k3')).body,
  ).toMatchObject({ status: 'captured', amountCaptured: '5000', feeCaptured: '40' })
  expect((await call('POST', `/${id}/refund`, keyA, {}, 'k4')).body).toMatchObject({
    status: 'refunded',
    amountRefunded: '5000',
  })
  expect((await call('GET', `/${id}`, keyA)).body.status).toBe('refunded')
  expect(((await call('GET', '', keyA)).body.data as unknown[]).length).toBe(1)
})

test('errors are JSON { code, message, details } with the status of their kind', async () => {
  const noKey = await call('GET', '', null)
  expect(noKey).toMatchObject({ status: 401, body: { code: 'PAYFI_UNAUTHORIZED' } })
  expect((await call('GET', '', 'sk_not_a_real_key_at_all_0000')).status).toBe(401)
  expect(await call('POST', '', keyA, { amount: '1.00', currency: 'CNY' })).toMatchObject({
    status: 400,
    body: { code: 'PAYFI_INVALID_ARGUMENT' },
  })
  expect(await call('POST', '', keyA, { amount: '1.005', currency: 'CNY' }, 'e1')).toMatchObject({
    status: 400,
    body: { code: 'PAYFI_INVALID_AMOUNT' },
  })
  expect(await call('POST', '', keyA, { amount: '1.00', currency: 'XYZ' }, 'e2')).toMatchObject({
    status: 400,
    body: { code: 'PAYFI_UNKNOWN_CURRENCY' },
  })
  expect(await call('POST', '', keyA, '{not json', 'e3')).toMatchObject({
    status: 400,
    body: { code: 'PAYFI_INVALID_ARGUMENT' },
  })
  expect(
    await call(
      'POST',
      '',
      keyA,
      { amount: '1.00', currency: 'CNY', patient_name: 'Jane Doe' },
      'e4',
    ),
  ).toMatchObject({ status: 400 })
  await call('POST', '', keyA, { amount: '2.00', currency: 'CNY' }, 'same')
  expect(await call('POST', '', keyA, { amount: '3.00', currency: 'CNY' }, 'same')).toMatchObject({
    status: 409,
    body: { code: 'PAYFI_IDEMPOTENCY_CONFLICT' },
  })
  const p = await call('POST', '', keyA, { amount: '5.00', currency: 'CNY' }, 'c5')
  await call('POST', `/${p.body.id}/cancel`, keyA, undefined, 'c6')
  expect(await call('POST', `/${p.body.id}/capture`, keyA, {}, 'c7')).toMatchObject({
    status: 409,
    body: { code: 'PAYFI_INVALID_STATE' },
  })
})

test('no cross-tenant reads or writes: another merchant gets 404, as for a payment that does not exist', async () => {
  const p = await call('POST', '', keyA, { amount: '10.00', currency: 'CNY' }, 't1')
  const id = p.body.id as string
  const read = await call('GET', `/${id}`, keyB)
  const missing = await call('GET', '/pay_000000000000000000000000', keyB)
  expect(read.status).toBe(404)
  expect(read.body.code).toBe(missing.body.code)
  expect((await call('POST', `/${id}/authorize`, keyB, undefined, 't2')).status).toBe(404)
  expect((await call('GET', '', keyB)).body.data).toEqual([])
  expect(JSON.stringify(read.body)).not.toContain('clinic_a')
})

test('many connections with one Idempotency-Key make one payment and one capture', async () => {
  const many = await Promise.all(
    Array.from({ length: 30 }, () =>
      call('POST', '', keyA, { amount: '42.00', currency: 'CNY' }, 'burst-1'),
    ),
  )
  expect(new Set(many.map((r) => r.status))).toEqual(new Set([201]))
  expect(new Set(many.map((r) => r.body.id)).size).toBe(1)
  const id = many[0]!.body.id as string
  await call('POST', `/${id}/authorize`, keyA, undefined, 'burst-auth')
  const caps = await Promise.all(
    Array.from({ length: 20 }, () => call('POST', `/${id}/capture`, keyA, {}, 'burst-cap')),
  )
  expect(new Set(caps.map((r) => r.body.version))).toEqual(new Set([3]))
  expect((await store.events(id)).length).toBe(3)
})

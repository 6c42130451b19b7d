import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { createPayments, createWebhookDispatcher, openSqliteLedger } from '../src/index.js'

// Free text that identifies a patient: it must never reach the journal, metadata or a webhook.
const PATIENT = ['Zhang Wei', 'ZHANG', 'Jane Q. Doe', 'MRN-88812345', '88812345', '1987-03-14']
const dirs: string[] = []
let server: Server | undefined
afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)))
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

test('patient names and MRNs in free-text fields are refused and reach no journal, metadata or webhook', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'payfi-phi-'))
  dirs.push(dir)
  const store = openSqliteLedger(join(dir, 'ledger.db'))
  const pay = createPayments(store)
  const attempts: Record<string, unknown>[] = [
    { description: 'MRI for Zhang Wei, MRN-88812345' },
    { patientName: 'Jane Q. Doe' },
    { metadata: { patient_name: 'Zhang Wei' } },
    { metadata: { note: 'DOB 1987-03-14' } },
    { metadata: { order_id: 'Jane Q. Doe' } },
    { metadata: { order_id: 'MRN 88812345 ZHANG' } },
    { metadata: { clinic_id: 'c1', mrn: 'MRN-88812345' } },
  ]
  for (const [i, extra] of attempts.entries())
    await expect(
      pay.create('clinic_1', { amount: '88.00', currency: 'CNY', ...extra } as never, {
        idempotencyKey: `phi-${i}`,
      }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^PAYFI_(METADATA_REFUSED|INVALID_ARGUMENT)$/),
    })
  // refused messages name the field, never its value
  try {
    await pay.create(
      'clinic_1',
      { amount: '1.00', currency: 'CNY', metadata: { order_id: 'Zhang Wei' } },
      { idempotencyKey: 'x' },
    )
  } catch (error) {
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toMatch(/Zhang/)
  }
  // the allowed path: opaque references only; the app keeps the patient in its own store
  const p = await pay.create(
    'clinic_1',
    {
      amount: '88.00',
      currency: 'CNY',
      metadata: { order_id: 'ord_1001', service_code: 'CT-HEAD' },
    },
    { idempotencyKey: 'ok' },
  )
  await pay.authorize('clinic_1', p.id, { idempotencyKey: 'a' })
  await pay.capture('clinic_1', p.id, {}, { idempotencyKey: 'c' })
  await pay.refund('clinic_1', p.id, { amount: '8.00' }, { idempotencyKey: 'r' })
  const bodies: string[] = []
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'))
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
  const d = createWebhookDispatcher(store, {
    endpoint: () => ({ url, secret: 'whsec_0123456789abcdef' }),
  })
  expect((await d.runOnce()).delivered).toBe(4)
  const transfers = await store.queryTransfers({})
  expect(transfers.length).toBeGreaterThan(0)
  await store.close()
  const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1'))
  const everything = [...files, ...bodies, JSON.stringify(transfers.map((t) => t.metadata))].join(
    '\n',
  )
  expect(everything).toMatch(/ord_1001/) // the check can see what is stored
  for (const needle of PATIENT) expect(everything.includes(needle), needle).toBe(false)
})

import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteLedger, type PayfiStore } from '@btt/payfi'
import { startFhirServer, validateFhir } from '@btt/testing'
import type { Bundle, Resource } from '@medplum/fhirtypes'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createFhirClient, type FhirClient } from '../../src/fhir/createFhirClient.js'
import { patientAccount, pseudonymOf } from '../../src/incentives/awardEvent.js'
import { careEventOf } from '../../src/incentives/careEventOf.js'
import {
  createIncentiveEngine,
  type IncentiveEngine,
} from '../../src/incentives/createIncentiveEngine.js'
import { redemptionSplit } from '../../src/incentives/redeemPoints.js'
import {
  carePlanDone,
  consentFor,
  day,
  expectedPoints,
  immunization,
  preventiveVisit,
  steps,
  taskDone,
} from './incentiveFixtures.js'

let server: Awaited<ReturnType<typeof startFhirServer>>
let fhir: FhirClient
let dir = ''
beforeAll(async () => {
  server = await startFhirServer()
  fhir = createFhirClient({ baseUrl: server.url, backoffMs: 5, retries: 2, timeoutMs: 2000 })
  dir = mkdtempSync(join(tmpdir(), 'btt-incentives-'))
})
afterAll(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const create = <T extends Resource>(r: T) =>
  fhir.request<T & { id: string }>('POST', r.resourceType, r)
const patient = async (mrn: string) =>
  `Patient/${(await create({ resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: mrn }] })).id}`
let n = 0
function engineWith(subscriptions: string[] = []): { engine: IncentiveEngine; ledger: PayfiStore } {
  n++
  const ledger = openSqliteLedger(join(dir, `points-${n}.sqlite`))
  const engine = createIncentiveEngine({
    fhir,
    ledger,
    statePath: join(dir, `intake-${n}.sqlite`),
    pseudonymKey: 'test-pseudonym-key-0123456789',
    subscriptions,
    partners: { pharmacy: { feeBps: 250 } },
  })
  return { engine, ledger }
}
const asEvent = (r: Resource) => {
  const e = careEventOf(r)!
  return { id: e.eventId, patientId: e.patient, kind: e.kind, at: e.at }
}

test('polling: each care event earns points once, within the monthly cap; a patient without consent earns nothing', async () => {
  const a = await patient('inc-a')
  const b = await patient('inc-b')
  const consent = await create(consentFor(a, day(1)))
  expect(validateFhir(consent)).toEqual([])
  const resources = [
    ...Array.from({ length: 7 }, (_, i) => preventiveVisit(a, day(2 + i))), // 700 points asked, 500 allowed in January
    immunization(a, day(3, 2)),
    carePlanDone(a, day(4, 2)),
    taskDone(a, day(5, 2)),
    steps(a, day(6, 2), 9000),
    steps(a, day(7, 2), 1000), // below the threshold: not an event
    preventiveVisit(b, day(2)),
  ]
  const created: Resource[] = []
  for (const r of resources) {
    expect(validateFhir(r)).toEqual([])
    created.push(await create(r))
  }
  const { engine, ledger } = engineWith()
  const outcomes = await engine.poll()
  const expected = expectedPoints(created.filter((r) => careEventOf(r)?.patient === a).map(asEvent))
  expect(expected.get(a)).toBe(500 + 100 + 20 + 20 + 5)
  expect(await engine.balance(a)).toBe(BigInt(expected.get(a)!))
  expect(outcomes.filter((o) => o.status === 'capped').length).toBeGreaterThan(0)
  expect(outcomes.find((o) => o.eventId === `Encounter/${created.at(-1)!.id}`)?.status).toBe(
    'no-consent',
  )
  expect(outcomes.find((o) => o.eventId === `Observation/${created.at(-2)!.id}`)?.status).toBe(
    'not-eligible',
  )
  expect(await engine.balance(b)).toBeNull()
  // polling again from the saved checkpoint pays nothing more
  const again = await engine.poll()
  expect(again.every((o) => o.points === 0)).toBe(true)
  expect(await engine.balance(a)).toBe(BigInt(expected.get(a)!))
  // the ledger holds points only for the consenting patient, by pseudonym
  const transfers = await ledger.queryTransfers({ limit: 1000 })
  expect(transfers.reduce((s, t) => s + t.legs[0]!.amount, 0n)).toBe(BigInt(expected.get(a)!))
  expect(
    JSON.stringify(transfers, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
  ).not.toContain(a.split('/')[1])
  engine.close()
  await ledger.close()
})

const notification = (
  sub: string,
  since: number,
  events: { n: number; r?: Resource | undefined }[],
  type = 'event-notification',
): Bundle => ({
  resourceType: 'Bundle',
  type: 'history',
  entry: [
    {
      resource: {
        resourceType: 'Parameters',
        parameter: [
          { name: 'subscription', valueReference: { reference: `${server.url}/${sub}` } },
          {
            name: 'topic',
            valueCanonical: 'https://btt.health/fhir/SubscriptionTopic/care-events',
          },
          { name: 'status', valueCode: 'active' },
          { name: 'type', valueCode: type },
          { name: 'events-since-subscription-start', valueString: String(since) },
          ...events.map((e) => ({
            name: 'notification-event',
            part: [
              { name: 'event-number', valueString: String(e.n) },
              {
                name: 'timestamp',
                valueInstant: e.r?.meta?.lastUpdated ?? new Date().toISOString(),
              },
              ...(e.r
                ? [
                    {
                      name: 'focus',
                      valueReference: { reference: `${server.url}/${e.r.resourceType}/${e.r.id}` },
                    },
                  ]
                : []),
            ],
          })),
        ],
      } as Resource,
    },
    ...events
      .filter((e) => e.r)
      .map((e) => ({ fullUrl: `${server.url}/${e.r!.resourceType}/${e.r!.id}`, resource: e.r! })),
  ],
})

test('rest-hook: handshake, duplicates, out-of-order, a gap recovered by search, a heartbeat ahead, bad and unknown notifications', async () => {
  const a = await patient('hook-a')
  await create(consentFor(a, day(1)))
  const ghost = 'Patient/does-not-exist'
  const events: Resource[] = []
  for (let i = 0; i < 6; i++)
    events.push(
      await create(i % 2 ? steps(a, day(10 + i, 3), 10_000) : immunization(a, day(10 + i, 3))),
    )
  const orphan = await create(immunization(ghost, day(20, 3)))
  const sub = 'Subscription/care-1'
  const { engine, ledger } = engineWith([sub])
  const http: Server = createServer((req, res) => engine.handler(req, res))
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(http.address() as { port: number }).port}/notifications`
  const post = (b: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(b),
    })
  try {
    expect((await post(notification(sub, 0, [], 'handshake'))).status).toBe(200)
    expect((await post(notification(sub, 1, [{ n: 1, r: events[0] }]))).status).toBe(200)
    expect((await post(notification(sub, 1, [{ n: 1, r: events[0] }]))).status).toBe(200) // duplicate delivery
    // event 3 arrives before 2 (2 is never delivered): the gap is recovered by searching
    const gap = await engine.notify(notification(sub, 3, [{ n: 3, r: events[2] }]))
    expect(gap.caughtUp).toBe(true)
    expect((await engine.notify(notification(sub, 3, [{ n: 2, r: events[1] }]))).duplicates).toBe(1)
    // 4 and 5 are lost; a heartbeat says 5 happened
    expect((await engine.notify(notification(sub, 5, [], 'heartbeat'))).caughtUp).toBe(true)
    expect(
      (
        await engine.notify(
          notification(sub, 6, [
            { n: 6, r: events[5] },
            { n: 6, r: events[5] },
          ]),
        )
      ).duplicates,
    ).toBe(1)
    const orphanResult = await engine.notify(notification(sub, 7, [{ n: 7, r: orphan }]))
    expect(orphanResult.outcomes.at(-1)?.status).toBe('unknown-patient')
    expect(
      (await post(notification('Subscription/other', 1, [{ n: 1, r: events[0] }]))).status,
    ).toBe(404)
    expect((await post({ resourceType: 'Bundle', type: 'history' })).status).toBe(400)
    expect((await post({ hello: 'world' })).status).toBe(400)
    expect((await post(notification(sub, 2, [{ n: 9, r: events[0] }]))).status).toBe(400) // event-number above the count
    const bad = notification(sub, 9, [{ n: 8, r: events[0] }])
    ;(
      bad.entry![0]!.resource as {
        parameter: { part?: { name: string; valueString?: string }[] }[]
      }
    ).parameter[5]!.part![0]!.valueString = 'eight'
    expect((await post(bad)).status).toBe(400)
    const expected = expectedPoints(events.map(asEvent)).get(a)!
    expect(expected).toBe(3 * 100 + 3 * 5)
    expect(await engine.balance(a)).toBe(BigInt(expected))
  } finally {
    http.close()
    engine.close()
    await ledger.close()
  }
})

test('FHIR 500s and timeouts while processing: the delivery fails (503), a redelivery pays once', async () => {
  const a = await patient('fault-a')
  await create(consentFor(a, day(1)))
  const visit = await create(preventiveVisit(a, day(3, 4)))
  const sub = 'Subscription/care-2'
  const { engine, ledger } = engineWith([sub])
  server.injectFaults({ status: 500 }, { status: 500 }, { status: 500 })
  await expect(engine.notify(notification(sub, 1, [{ n: 1, r: visit }]))).rejects.toMatchObject({
    code: 'FHIR_HTTP_ERROR',
  })
  expect(await engine.balance(a)).toBe(0n)
  server.injectFaults({ hangMs: 2500 })
  const [x, y] = await Promise.all([
    engine.notify(notification(sub, 1, [{ n: 1, r: visit }])),
    engine.notify(notification(sub, 1, [{ n: 1, r: visit }])),
  ])
  expect([x.outcomes.length, y.duplicates]).toEqual([1, 1])
  expect(await engine.balance(a)).toBe(100n)
  engine.close()
  await ledger.close()
})

test('consent: events before consent and after revocation earn nothing; revocation stops processing', async () => {
  const c = await patient('consent-c')
  const consent = await create(consentFor(c, day(10, 5)))
  const { engine, ledger } = engineWith()
  expect((await engine.ingest(await create(preventiveVisit(c, day(5, 5))))).status).toBe(
    'no-consent',
  )
  expect((await engine.ingest(await create(preventiveVisit(c, day(12, 5))))).points).toBe(100)
  await fhir.request('PUT', `Consent/${consent.id}`, { ...consent, status: 'inactive' })
  expect((await engine.ingest(await create(preventiveVisit(c, day(14, 5))))).status).toBe(
    'no-consent',
  )
  expect(await engine.balance(c)).toBeNull()
  engine.close()
  await ledger.close()
})

test('redemption with the partner fee (once per key, never beyond the balance) and subscription billing by tier', async () => {
  const a = await patient('redeem-a')
  await create(consentFor(a, day(1)))
  const { engine, ledger } = engineWith()
  await engine.ingest(await create(preventiveVisit(a, day(3, 6))))
  const r = await engine.redeem({
    patient: a,
    partner: 'pharmacy',
    points: 80n,
    idempotencyKey: 'r1',
  })
  expect(r).toEqual({ fee: 2n, net: 78n, replayed: false })
  expect(
    (await engine.redeem({ patient: a, partner: 'pharmacy', points: 80n, idempotencyKey: 'r1' }))
      .replayed,
  ).toBe(true)
  expect(await engine.balance(a)).toBe(20n)
  expect((await ledger.getAccount('partner:pharmacy:POINTS'))!.creditsPosted).toBe(78n)
  await expect(
    engine.redeem({ patient: a, partner: 'pharmacy', points: 21n, idempotencyKey: 'r2' }),
  ).rejects.toMatchObject({ code: 'INCENTIVE_INSUFFICIENT_POINTS' })
  await expect(
    engine.redeem({ patient: a, partner: 'nobody', points: 1n, idempotencyKey: 'r3' }),
  ).rejects.toMatchObject({ code: 'CONNECTORS_INVALID_ARGUMENT' })
  const bill = await engine.bill({ clinicId: 'clinic-1', size: 'clinic-medium', period: '2026-06' })
  expect(bill).toMatchObject({
    currency: 'CNY',
    net: 800_000n,
    invoiceId: 'sub-clinic-1-2026-06',
    replayed: false,
  })
  expect(
    (await engine.bill({ clinicId: 'clinic-1', size: 'clinic-medium', period: '2026-06' }))
      .replayed,
  ).toBe(true)
  await expect(
    engine.bill({ clinicId: 'clinic-1', size: 'galactic', period: '2026-07' }),
  ).rejects.toMatchObject({ code: 'CORE_UNKNOWN_FEE_CLASS' })
  engine.close()
  await ledger.close()
})

test('redemption split: fee + net = points, fee within one unit of points × bps / 10 000', () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: 1n, max: 2n ** 64n }),
      fc.integer({ min: 0, max: 10_000 }),
      (points, bps) => {
        const { fee, net } = redemptionSplit(points, bps)
        expect(fee + net).toBe(points)
        expect(fee >= 0n && net >= 0n).toBe(true)
        const exact = points * BigInt(bps)
        expect(fee * 10_000n - exact <= 5_000n && exact - fee * 10_000n < 5_000n).toBe(true)
      },
    ),
  )
  expect(() => redemptionSplit(0n, 10)).toThrow(
    expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }),
  )
})

test('many at once and across a restart: 20 concurrent deliveries of 5 events, then the same again on a reopened engine, pay each event once', async () => {
  const a = await patient('many-a')
  await create(consentFor(a, day(1)))
  const events: Resource[] = []
  for (let i = 0; i < 5; i++) events.push(await create(carePlanDone(a, day(1 + i, 7))))
  const sub = 'Subscription/care-3'
  n++
  const paths = { ledger: join(dir, `points-${n}.sqlite`), state: join(dir, `intake-${n}.sqlite`) }
  const open = () => {
    const ledger = openSqliteLedger(paths.ledger)
    const engine = createIncentiveEngine({
      fhir,
      ledger,
      statePath: paths.state,
      pseudonymKey: 'test-pseudonym-key-0123456789',
      subscriptions: [sub],
    })
    return { engine, ledger }
  }
  const deliveries = () =>
    Array.from({ length: 20 }, (_, i) => {
      const k = i % 5
      return notification(sub, 5, [{ n: k + 1, r: events[k] }])
    })
  const first = open()
  await Promise.all([
    ...deliveries().map((b) => first.engine.notify(b)),
    ...events.map((r) => first.engine.ingest(r)),
  ])
  expect(await first.engine.balance(a)).toBe(100n)
  first.engine.close()
  await first.ledger.close()
  const second = open()
  await Promise.all([...deliveries().map((b) => second.engine.notify(b)), second.engine.poll()])
  expect(await second.engine.balance(a)).toBe(100n)
  // (the poll also finds earlier tests' consenting patients on this server; count this patient's awards)
  const account = patientAccount(pseudonymOf('test-pseudonym-key-0123456789', a))
  expect((await second.ledger.queryTransfers({ accountId: account, limit: 100 })).length).toBe(5)
  second.engine.close()
  await second.ledger.close()
})

test('id-only notifications fetch the focus; a gap is recovered through $events where the server has it', async () => {
  const a = await patient('events-a')
  await create(consentFor(a, day(1)))
  const events: Resource[] = []
  for (let i = 0; i < 3; i++) events.push(await create(immunization(a, day(1 + i, 8))))
  const sub = 'Subscription/care-4'
  const asked: string[] = []
  // a FHIR server with $events: it answers the missed events as a full-resource notification
  const withEvents = await startFhirServer({
    extra: async (req, res) => {
      const m = /\/Subscription\/care-4\/\$events\?(.*)$/.exec(req.url ?? '')
      if (!m) return false
      asked.push(m[1]!)
      const body = notification(sub, 3, [{ n: 2, r: events[1] }], 'query-event')
      res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(body))
      return true
    },
  })
  try {
    const eventsFhir = createFhirClient({ baseUrl: withEvents.url, retries: 0 })
    n++
    const ledger = openSqliteLedger(join(dir, `points-${n}.sqlite`))
    // the intake reads patients, consents and foci from the test server, $events from the other
    const engine = createIncentiveEngine({
      fhir: {
        ...fhir,
        request: (method, path, body) =>
          path.includes('$events')
            ? eventsFhir.request(method, path, body)
            : fhir.request(method, path, body),
      },
      ledger,
      statePath: join(dir, `intake-${n}.sqlite`),
      pseudonymKey: 'test-pseudonym-key-0123456789',
      subscriptions: [sub],
    })
    const idOnly = notification(sub, 1, [{ n: 1, r: events[0] }])
    idOnly.entry = idOnly.entry!.slice(0, 1) // no resources carried: the focus is read from the server
    expect((await engine.notify(idOnly)).outcomes.map((o) => o.points)).toEqual([100])
    const gap = await engine.notify(notification(sub, 3, [{ n: 3, r: events[2] }]))
    expect(gap.caughtUp).toBe(true)
    expect(asked).toEqual(['eventsSinceNumber=2&eventsUntilNumber=2&content=full-resource'])
    expect(await engine.balance(a)).toBe(300n)
    engine.close()
    await ledger.close()
  } finally {
    await withEvents.stop()
  }
})

test('property: any order and any duplication of an event stream pays what the rules pay once each in time order', async () => {
  const a = await patient('prop-a')
  await create(consentFor(a, day(1)))
  const stream: Resource[] = []
  // two months near the cap: 6 visits (600 asked, 500 allowed) in September, mixed events in October
  for (let i = 0; i < 6; i++) stream.push(await create(preventiveVisit(a, day(2 + i, 9))))
  for (let i = 0; i < 4; i++)
    stream.push(
      await create(i % 2 ? taskDone(a, day(3 + i, 10)) : steps(a, day(3 + i, 10), 12_000)),
    )
  stream.push(await create(immunization(a, day(20, 10))))
  const expected = BigInt(expectedPoints(stream.map(asEvent)).get(a)!)
  expect(expected).toBe(500n + 2n * 20n + 2n * 5n + 100n)
  await fc.assert(
    fc.asyncProperty(
      fc.shuffledSubarray([...stream.keys(), ...stream.keys()], { minLength: stream.length * 2 }),
      fc.array(fc.integer({ min: 0, max: stream.length - 1 }), { maxLength: 5 }),
      async (order, extra) => {
        const { engine, ledger } = engineWith()
        try {
          for (const i of [...order, ...extra]) await engine.ingest(stream[i]!)
          expect(await engine.balance(a)).toBe(expected)
        } finally {
          engine.close()
          await ledger.close()
        }
      },
    ),
    { numRuns: 6 },
  )
})

import { createServer, type Server } from 'node:http'
import { defaultConfig, formatUnits, quoteCompute } from '@btt/core'
import { startFhirServer, startSmartAuthServer } from '@btt/testing'
import type { Bundle } from '@medplum/fhirtypes'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createCdsHooksHandler } from '../../src/cdshooks/createCdsHooksHandler.js'
import { createFhirClient } from '../../src/fhir/createFhirClient.js'
import { createFhirResultBundle } from '../../src/fhir/createFhirResultBundle.js'
import { sendFhirResults } from '../../src/fhir/sendFhirResults.js'
import { ehrResult } from './fixtures.js'

let fhir: Awaited<ReturnType<typeof startFhirServer>>
let ehr: Awaited<ReturnType<typeof startSmartAuthServer>>
let server: Server
let base = ''
let patientId = ''
const feedback: unknown[] = []
type Answer = {
  services: { hook: string; prefetch: Record<string, string> }[]
  cards: {
    summary: string
    detail: string
    indicator: string
    links: { type: string; url: string }[]
  }[]
}
const answer = async (r: Response) => (await r.json()) as Answer

beforeAll(async () => {
  fhir = await startFhirServer()
  ehr = await startSmartAuthServer()
  const client = createFhirClient({ baseUrl: fhir.url })
  const bundle = createFhirResultBundle(ehrResult(), {
    patient: { identifier: { system: 'urn:mrn', value: 'cds-1' } },
    idempotencyKey: 'cds',
  })
  await sendFhirResults(client, bundle)
  patientId = (await client.search('Patient', { identifier: 'urn:mrn|cds-1' }))[0]!.id!
  server = createServer((req, res) => {
    handler(req, res, () => res.writeHead(418).end('next'))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  handler = createCdsHooksHandler({
    serviceUrl: base,
    verifier: {
      issuers: { [ehr.url]: { jwksUrl: ehr.ehrJwksUrl, jkuAllowlist: [ehr.ehrJwksUrl] } },
      jwksCooldownMs: 0,
    },
    fhirServers: [fhir.url],
    appUrl: `${base}/app/launch.html`,
    balance: async (id) => (id === patientId ? 120n : null),
    onFeedback: (_id, body) => void feedback.push(body),
  })
})
let handler: ReturnType<typeof createCdsHooksHandler>
afterAll(async () => {
  server?.close()
  await Promise.all([fhir?.stop(), ehr?.stop()])
})

const aud = (id = 'btt-patient-view') => `${base}/cds-services/${id}`
const call = async (body: unknown, jwt: string | undefined, id = 'btt-patient-view') =>
  fetch(aud(id), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(jwt ? { authorization: `Bearer ${jwt}` } : {}),
    },
    body: JSON.stringify(body),
  })
const viewBody = async (withPrefetch: boolean) => {
  const c = createFhirClient({ baseUrl: fhir.url })
  return {
    hook: 'patient-view',
    hookInstance: crypto.randomUUID(),
    context: { patientId, userId: 'Practitioner/1' },
    fhirServer: fhir.url,
    fhirAuthorization: { access_token: 'ehr-token', token_type: 'Bearer' },
    ...(withPrefetch
      ? {
          prefetch: {
            patient: await c.request('GET', `Patient/${patientId}`),
            reports: await c.request<Bundle>(
              'GET',
              `DiagnosticReport?subject=Patient/${patientId}`,
            ),
            observations: await c.request<Bundle>(
              'GET',
              `Observation?subject=Patient/${patientId}`,
            ),
          },
        }
      : {}),
  }
}

test('discovery lists both services with their prefetch templates; other paths go to next()', async () => {
  const d = await answer(await fetch(`${base}/cds-services`))
  expect(d.services.map((s) => s.hook)).toEqual(['patient-view', 'order-sign'])
  expect(d.services[0]!.prefetch.patient).toBe('Patient/{{context.patientId}}')
  expect((await fetch(`${base}/elsewhere`)).status).toBe(418)
})

test('patient-view with a valid JWT returns the findings card (linking the SMART app) and the incentive balance', async () => {
  const res = await call(await viewBody(true), await ehr.signEhrJwt({ aud: aud() }))
  expect(res.status).toBe(200)
  const { cards } = await answer(res)
  expect(cards).toHaveLength(2)
  expect(cards[0]).toMatchObject({
    summary: 'AI findings: Nodule',
    indicator: 'warning',
    source: { label: 'BTT AI' },
  })
  expect(cards[0]!.detail).toContain('**Nodule**: 90%')
  expect(cards[0]!.links[0]).toMatchObject({ type: 'smart', url: `${base}/app/launch.html` })
  expect(cards[1]!.summary).toBe('Care incentive balance: 120 points')
})

test('missing prefetch is fetched from the FHIR server; when it cannot be, 412', async () => {
  const before = fhir.requests.length
  const res = await call(await viewBody(false), await ehr.signEhrJwt({ aud: aud() }))
  expect(res.status).toBe(200)
  expect((await answer(res)).cards[0]!.summary).toBe('AI findings: Nodule')
  expect(fhir.requests.slice(before).map((r) => r.url.split('?')[0])).toEqual(
    expect.arrayContaining([`/fhir/R4/Patient/${patientId}`, '/fhir/R4/DiagnosticReport']),
  )
  const { fhirServer: _, ...noServer } = await viewBody(false)
  const r412 = await call(noServer, await ehr.signEhrJwt({ aud: aud() }))
  expect(r412.status).toBe(412)
  fhir.injectFaults(
    { status: 500 },
    { status: 500 },
    { status: 500 },
    { status: 500 },
    { status: 500 },
    { status: 500 },
  )
  expect((await call(await viewBody(false), await ehr.signEhrJwt({ aud: aud() }))).status).toBe(412)
})

test('bad JWTs get 401 without detail: none, wrong audience, expired, old iat, replayed, wrong key, HMAC, alg none, unknown issuer, jku not allow-listed', async () => {
  const body = await viewBody(true)
  const now = Math.floor(Date.now() / 1000)
  const stranger = await generateKeyPair('ES384')
  const strangerJwt = await new SignJWT({ aud: aud(), jti: 'x1', iss: ehr.url })
    .setProtectedHeader({ alg: 'ES384', kid: 'unknown-kid' })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(stranger.privateKey)
  const hmac = await new SignJWT({ aud: aud(), jti: 'x2', iss: ehr.url })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough!'))
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const none = `${b64({ alg: 'none' })}.${b64({ aud: aud(), iss: ehr.url, jti: 'x3', iat: now, exp: now + 60 })}.`
  const evilJwks = `${base}/evil/jwks.json`
  const jkuJwt = await new SignJWT({ aud: aud(), jti: 'x4', iss: ehr.url })
    .setProtectedHeader({
      alg: 'ES384',
      jku: evilJwks,
      kid: (await exportJWK(stranger.publicKey)).kid ?? 'k',
    })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(stranger.privateKey)
  const replayed = await ehr.signEhrJwt({ aud: aud() })
  expect((await call(body, replayed)).status).toBe(200)
  const bad = [
    undefined,
    await ehr.signEhrJwt({ aud: `${base}/cds-services/other` }),
    await ehr.signEhrJwt({ aud: aud(), iat: now - 600, exp: now - 300 }),
    await ehr.signEhrJwt({ aud: aud(), iat: now - 3600, exp: now + 60 }),
    replayed,
    strangerJwt,
    hmac,
    none,
    await ehr.signEhrJwt({ aud: aud(), iss: 'https://not-allowed.example' }),
    jkuJwt,
    'not.a.jwt',
  ]
  for (const jwt of bad) {
    const res = await call(body, jwt)
    expect(res.status, String(jwt)).toBe(401)
    expect(await res.text()).toBe('')
  }
})

test('a rotated EHR key (new kid) is fetched and accepted', async () => {
  const kid = await ehr.rotateEhrKey()
  const res = await call(await viewBody(true), await ehr.signEhrJwt({ aud: aud() }, { kid }))
  expect(res.status).toBe(200)
})

test('order-sign: an imaging order gets an information card with the quoted price; other orders none', async () => {
  const order = (text: string, priority: string) => ({
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'order',
    priority,
    code: { text },
    subject: { reference: `Patient/${patientId}` },
  })
  const body = (orders: unknown[]) => ({
    hook: 'order-sign',
    hookInstance: crypto.randomUUID(),
    context: {
      patientId,
      userId: 'Practitioner/1',
      draftOrders: {
        resourceType: 'Bundle',
        type: 'collection',
        entry: orders.map((resource) => ({ resource })),
      },
    },
    prefetch: { patient: { resourceType: 'Patient', id: patientId } },
  })
  const res = await call(
    body([order('CT chest', 'stat'), order('Blood count', 'routine')]),
    await ehr.signEhrJwt({ aud: aud('btt-order-sign') }),
    'btt-order-sign',
  )
  expect(res.status).toBe(200)
  const { cards } = await answer(res)
  expect(cards).toHaveLength(1)
  // the price is @btt/core's quote for 120 GPU-seconds at stat urgency, in CNY with two decimals
  const quote = quoteCompute(defaultConfig.computePricing, { gpuSeconds: 120, urgency: 'stat' })
  expect(cards[0]!.summary).toBe(
    `AI analysis available for CT chest: ${formatUnits(quote.total, 2, { trim: false })} CNY`,
  )
  expect(cards[0]!.detail).toContain('CNY')
  const none = await call(
    body([order('Blood count', 'routine')]),
    await ehr.signEhrJwt({ aud: aud('btt-order-sign') }),
    'btt-order-sign',
  )
  expect((await answer(none)).cards).toEqual([])
})

test('feedback is accepted with a valid JWT and refused without; an unknown service is 404, a wrong hook 400', async () => {
  const fb = {
    feedback: [{ card: 'c1', outcome: 'accepted', outcomeTimestamp: new Date().toISOString() }],
  }
  const url = `${aud()}/feedback`
  const ok = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${await ehr.signEhrJwt({ aud: aud() })}` },
    body: JSON.stringify(fb),
  })
  expect(ok.status).toBe(200)
  expect(feedback).toContainEqual(fb)
  expect((await fetch(url, { method: 'POST', body: JSON.stringify(fb) })).status).toBe(401)
  expect((await call({}, await ehr.signEhrJwt({ aud: aud('nope') }), 'nope')).status).toBe(404)
  const wrongHook = { ...(await viewBody(true)), hook: 'order-sign' }
  expect((await call(wrongHook, await ehr.signEhrJwt({ aud: aud() }))).status).toBe(400)
  expect(() => createCdsHooksHandler({ serviceUrl: 'nope', verifier: { issuers: {} } })).toThrow(
    expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }),
  )
})

test('mounted express-style under a path, with the body already parsed: the same answers', async () => {
  const mounted = createCdsHooksHandler({
    serviceUrl: `${base}/hooks`,
    verifier: {
      issuers: { [ehr.url]: { jwksUrl: ehr.ehrJwksUrl, jkuAllowlist: [ehr.ehrJwksUrl] } },
    },
  })
  // what express does for app.use('/hooks', express.json(), handler): strip the mount path, parse the body
  const app = createServer(async (req, res) => {
    if (!req.url?.startsWith('/hooks/')) return res.writeHead(404).end()
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const parsed = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined
    Object.assign(req, { url: req.url.slice('/hooks'.length), body: parsed })
    mounted(req, res, () => res.writeHead(418).end())
  })
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r))
  const port = (app.address() as { port: number }).port
  const local = `http://127.0.0.1:${port}/hooks`
  try {
    const service = `${base}/hooks/cds-services/btt-patient-view`
    const res = await fetch(`${local}/cds-services/btt-patient-view`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await ehr.signEhrJwt({ aud: service })}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(await viewBody(true)),
    })
    expect(res.status).toBe(200)
    expect((await answer(res)).cards[0]!.summary).toBe('AI findings: Nodule')
    expect((await fetch(`${local}/other`)).status).toBe(418)
    const wrongAud = await fetch(`${local}/cds-services/btt-patient-view`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await ehr.signEhrJwt({ aud: aud() })}` },
      body: JSON.stringify(await viewBody(true)),
    })
    expect(wrongAud.status).toBe(401) // the audience is the mounted URL, not the other one
  } finally {
    app.close()
  }
})

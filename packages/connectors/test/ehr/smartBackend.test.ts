import { startFhirServer, startSmartAuthServer } from '@btt/testing'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { createFhirClient } from '../../src/fhir/createFhirClient.js'
import { createBackendServicesClient } from '../../src/smart/createBackendServicesClient.js'
import { generateSmartClientKey, smartJwks } from '../../src/smart/smartClientKey.js'

let auth: Awaited<ReturnType<typeof startSmartAuthServer>>
let fhir: Awaited<ReturnType<typeof startFhirServer>>
beforeAll(async () => {
  auth = await startSmartAuthServer({ tokenLifetime: 120 })
  // the FHIR server publishes the authorization server's SMART configuration, as an EHR does
  fhir = await startFhirServer({ authorize: (h) => auth.isValidToken(h) })
  const config = await (await fetch(`${auth.url}/.well-known/smart-configuration`)).json()
  const served = await startFhirServer({
    extra: (req, res) => {
      if (!req.url?.endsWith('/.well-known/smart-configuration')) return false
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config))
      return true
    },
  })
  discoveryBase = `${served.url}`
  stopServed = served.stop
})
let discoveryBase = ''
let stopServed = async () => {}
afterAll(async () => {
  await Promise.all([auth?.stop(), fhir?.stop(), stopServed()])
})

test.each(['RS384', 'ES384'] as const)(
  '%s: discovery, a signed client assertion, a token the FHIR server accepts',
  async (alg) => {
    const key = await generateSmartClientKey({ alg })
    const jwks = smartJwks([key])
    expect(jwks.keys[0]).toMatchObject({ alg, use: 'sig', kid: key.kid })
    expect(jwks.keys[0]).not.toHaveProperty('d') // public parts only
    auth.registerClient(`btt-${alg}`, jwks)
    const smart = createBackendServicesClient({
      fhirBaseUrl: fhir.url,
      clientId: `btt-${alg}`,
      key,
      scope: 'system/*.read',
    })
    await expect(smart.tokenEndpoint()).rejects.toMatchObject({ code: 'SMART_DISCOVERY_FAILED' })
    const good = createBackendServicesClient({
      fhirBaseUrl: discoveryBase,
      clientId: `btt-${alg}`,
      key,
      scope: 'system/*.read',
    })
    expect(await good.tokenEndpoint()).toBe(auth.tokenEndpoint)
    const client = createFhirClient({ baseUrl: fhir.url, token: good.token })
    await expect(client.search('Patient', {})).resolves.toEqual([])
    await expect(
      createFhirClient({ baseUrl: fhir.url, retries: 0 }).search('Patient', {}),
    ).rejects.toMatchObject({ details: { status: 401 } })
  },
)

test('tokens are cached, shared by concurrent callers and renewed before expiry', async () => {
  const key = await generateSmartClientKey()
  auth.registerClient('btt-cache', smartJwks([key]))
  const smart = createBackendServicesClient({
    fhirBaseUrl: discoveryBase,
    clientId: 'btt-cache',
    key,
    scope: 'system/*.read',
    renewBeforeSeconds: 30,
  })
  const count = () => auth.issued.filter((i) => i.clientId === 'btt-cache').length
  const [a, b, c] = await Promise.all([smart.token(), smart.token(), smart.token()])
  expect(new Set([a, b, c]).size).toBe(1)
  expect(count()).toBe(1)
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 80_000 }) // 40 s before the 120 s expiry
  try {
    expect(await smart.token()).toBe(a)
    vi.setSystemTime(Date.now() + 15_000) // 25 s before expiry: inside the 30 s renewal window
    const renewed = await smart.token()
    expect(renewed).not.toBe(a)
    expect(count()).toBe(2)
  } finally {
    vi.useRealTimers()
  }
})

test('an unknown client or a key the server does not know is refused with SMART_TOKEN_REFUSED', async () => {
  const key = await generateSmartClientKey()
  const other = await generateSmartClientKey()
  auth.registerClient('btt-rotated', smartJwks([other]))
  for (const clientId of ['nobody', 'btt-rotated'])
    await expect(
      createBackendServicesClient({
        fhirBaseUrl: discoveryBase,
        clientId,
        key,
        scope: 'system/*.read',
      }).token(),
    ).rejects.toMatchObject({
      code: 'SMART_TOKEN_REFUSED',
      details: { status: 401, error: 'invalid_client' },
    })
  await expect(generateSmartClientKey({ alg: 'HS256' as never })).rejects.toMatchObject({
    code: 'CONNECTORS_INVALID_ARGUMENT',
  })
  expect(() =>
    createBackendServicesClient({ fhirBaseUrl: 'x', clientId: 'a', key, scope: 's' }),
  ).toThrow(expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }))
})

import { createServer, type Server } from 'node:http'
import { startFhirServer, startSmartAuthServer, tool } from '@btt/testing'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createFhirClient } from '../../src/fhir/createFhirClient.js'
import { createFhirResultBundle } from '../../src/fhir/createFhirResultBundle.js'
import { sendFhirResults } from '../../src/fhir/sendFhirResults.js'
import { serveSmartApp } from '../../src/smart/serveSmartApp.js'
import { ehrResult } from './fixtures.js'
import { grayPng } from './png.js'

// CI installs Debian's chromium; there a missing browser is a failure (tool()), locally a skip.
const chromiumPath = tool('chromium', 'chromium') ?? ''

let auth: Awaited<ReturnType<typeof startSmartAuthServer>>
let fhir: Awaited<ReturnType<typeof startFhirServer>>
let app: Server
let appBase = ''
let patientId = ''
beforeAll(async () => {
  auth = await startSmartAuthServer()
  const smartConfig = await (await fetch(`${auth.url}/.well-known/smart-configuration`)).json()
  fhir = await startFhirServer({
    authorize: (h) => auth.isValidToken(h),
    extra: (req, res) => {
      if (!req.url?.endsWith('/.well-known/smart-configuration')) return false
      res
        .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
        .end(JSON.stringify(smartConfig))
      return true
    },
  })
  const serve = serveSmartApp({ clientId: 'btt-viewer' })
  app = createServer((req, res) => serve(req, res))
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r))
  appBase = `http://127.0.0.1:${(app.address() as { port: number }).port}`
  auth.registerApp('btt-viewer', `${appBase}/app/index.html`)
  const seed = createFhirClient({
    baseUrl: fhir.url,
    token: async () => auth.issued.at(-1)?.token ?? '',
  })
  const bundle = createFhirResultBundle(ehrResult(), {
    patient: { identifier: { system: 'urn:mrn', value: 'app-1' } },
    idempotencyKey: 'app',
    overlay: { contentType: 'image/png', bytes: grayPng(8) },
  })
  // a token for seeding: an EHR launch done by hand through the server's own endpoints
  const launch = auth.createLaunch('seed')
  const verifier = 'v'.repeat(50)
  const challenge = Buffer.from(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
  ).toString('base64url')
  const redirect = `${appBase}/app/index.html`
  const authz = await fetch(
    `${auth.authorizeEndpoint}?${new URLSearchParams({ response_type: 'code', client_id: 'btt-viewer', redirect_uri: redirect, launch, state: 's', code_challenge: challenge, code_challenge_method: 'S256' })}`,
    { redirect: 'manual' },
  )
  const code = new URL(authz.headers.get('location')!).searchParams.get('code')!
  await fetch(auth.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
      client_id: 'btt-viewer',
      code_verifier: verifier,
    }),
  })
  await sendFhirResults(seed, bundle)
  patientId = (await seed.search('Patient', { identifier: 'urn:mrn|app-1' }))[0]!.id!
})
afterAll(async () => {
  app?.close()
  await Promise.all([auth?.stop(), fhir?.stop()])
})

test('the app serves its files and refuses others', async () => {
  expect((await fetch(`${appBase}/app/index.html`)).headers.get('content-type')).toMatch(
    /text\/html/,
  )
  expect(await (await fetch(`${appBase}/app/config.json`)).json()).toEqual({
    clientId: 'btt-viewer',
  })
  expect((await fetch(`${appBase}/app/../package.json`)).status).toBe(404)
  expect((await fetch(`${appBase}/app/secret.txt`)).status).toBe(404)
})

test.skipIf(!chromiumPath)(
  'EHR launch with PKCE in headless Chromium shows the findings and the overlay image',
  async () => {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    })
    try {
      const page = await browser.newPage()
      const problems: string[] = []
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
      page.on('response', (r) => {
        if (r.status() >= 400 && !r.url().endsWith('/favicon.ico'))
          problems.push(`${r.status()} ${r.url()}`)
      })
      const launch = auth.createLaunch(patientId)
      await page.goto(`${appBase}/app/index.html?${new URLSearchParams({ iss: fhir.url, launch })}`)
      await page.waitForSelector('body[data-ready]', { timeout: 20_000 })
      expect(await page.getAttribute('body', 'data-ready')).toBe('true')
      expect(problems).toEqual([])
      expect(await page.locator('#findings li.present').allTextContents()).toEqual([
        'Nodule: present (90%)',
      ])
      expect(await page.locator('#findings li.absent').allTextContents()).toEqual([
        'Effusion: absent (10%)',
      ])
      expect(
        await page
          .locator('#overlay img')
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      ).toBe(8)
      expect(await page.locator('#overlay svg rect').getAttribute('data-label')).toBe('Nodule')
      expect(page.url()).toBe(`${appBase}/app/index.html`) // the code is not left in the address bar
      // the FHIR reads carried the token the PKCE exchange gave (the server refuses others)
      expect(auth.issued.filter((i) => i.grant === 'authorization_code').length).toBe(2)
    } finally {
      await browser.close()
    }
  },
)

test.skipIf(!chromiumPath)('opened outside an EHR launch, the app says so', async () => {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  })
  try {
    const page = await browser.newPage()
    await page.goto(`${appBase}/app/index.html`)
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/EHR launch/)
  } finally {
    await browser.close()
  }
})

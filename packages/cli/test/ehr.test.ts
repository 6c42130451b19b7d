import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFhirServer, startSmartAuthServer, validateFhir } from '@btt/testing'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-cli-ehr-'))
  dirs.push(d)
  return d
}
let fhir: Awaited<ReturnType<typeof startFhirServer>>
beforeAll(async () => {
  fhir = await startFhirServer()
})
afterAll(async () => {
  await fhir?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

type Bundle = {
  entry?: { resource: { resourceType: string; identifier?: { system: string; value: string }[] } }[]
}

test('btt analyze --fhir --fhir-server: the Bundle is written beside the result, sent, linked to the SR by UID; sending again changes nothing', async () => {
  const study = tmp()
  expect(await main(['demo-study', study], captureIo().io)).toBe(0)
  const out = join(tmp(), 'out')
  const args = [
    'analyze',
    study,
    '--out',
    out,
    '--backend',
    'cpu',
    '--dicom-sr',
    '--fhir-server',
    fhir.url,
  ]
  const cap = captureIo()
  expect(await main(args, cap.io)).toBe(0)
  expect(cap.out).toMatch(/sent to .*: DiagnosticReport\//)
  const files = readdirSync(out)
  const bundles = files.filter((f) => f.endsWith('.fhir.json'))
  expect(bundles.length).toBe(files.filter((f) => f.endsWith('.sr.dcm')).length)
  expect(bundles.length).toBeGreaterThan(0)
  for (const name of bundles) {
    const bundle = JSON.parse(readFileSync(join(out, name), 'utf8')) as Bundle
    expect(validateFhir(bundle as never)).toEqual([])
    const report = bundle.entry!.find(
      (e) => e.resource.resourceType === 'DiagnosticReport',
    )!.resource
    const srUid = report
      .identifier!.find((i) => i.system === 'urn:dicom:uid')!
      .value.replace('urn:oid:', '')
    // the SR file carries that SOP Instance UID
    expect(
      readFileSync(join(out, name.replace('.fhir.json', '.sr.dcm'))).includes(Buffer.from(srUid)),
    ).toBe(true)
    const patient = bundle.entry!.find((e) => e.resource.resourceType === 'Patient')!.resource
    expect(patient.identifier![0]!.value).toMatch(/^SYN-/) // from the DICOM Patient ID
    const form = (report as { presentedForm?: { contentType: string; data: string }[] })
      .presentedForm![0]!
    expect(form.contentType).toBe('image/png')
    expect(form.data.startsWith('iVBORw0KGgo')).toBe(true) // a PNG, the overlay the SMART app shows
  }
  const count = async () =>
    ((await (await fetch(`${fhir.url}/DiagnosticReport`)).json()) as Bundle).entry?.length ?? 0
  const before = await count()
  expect(before).toBe(bundles.length)
  expect(await main(args, captureIo().io)).toBe(0)
  expect(await count()).toBe(before)
})

test('btt analyze --fhir writes the Bundle without sending; a bad --fhir-server is refused before any work', async () => {
  const study = tmp()
  expect(await main(['demo-study', study], captureIo().io)).toBe(0)
  const out = join(tmp(), 'out')
  const cap = captureIo()
  expect(
    await main(
      [
        'analyze',
        study,
        '--out',
        out,
        '--backend',
        'cpu',
        '--fhir',
        '--fhir-patient',
        'Patient/p-1',
      ],
      cap.io,
    ),
  ).toBe(0)
  expect(cap.out).not.toContain('sent to')
  const name = readdirSync(out).find((f) => f.endsWith('.fhir.json'))!
  expect(readFileSync(join(out, name), 'utf8')).toContain('"reference": "Patient/p-1"')
  const bad = captureIo()
  const out2 = join(tmp(), 'never')
  expect(await main(['analyze', study, '--out', out2, '--fhir-server', 'not a url'], bad.io)).toBe(
    2,
  )
  expect(bad.err).toContain('--fhir-server must be an http(s) URL')
  expect(() => readdirSync(out2)).toThrow()
  for (const patient of ['foo', 'Patient/', 'Patient/a b', '|x', 'sys|']) {
    const cap2 = captureIo()
    expect(
      await main(['analyze', study, '--out', out2, '--fhir', '--fhir-patient', patient], cap2.io),
      patient,
    ).toBe(2)
    expect(cap2.err).toContain('--fhir-patient must be')
  }
  expect(() => readdirSync(out2)).toThrow()
})

test('btt ehr serve: CDS Hooks discovery, the SMART app, 401 on an unsigned call; bad flags exit 2', async () => {
  const auth = await startSmartAuthServer()
  const served = captureIo()
  const stop = new AbortController()
  const running = main(
    [
      'ehr',
      'serve',
      '--public-url',
      'http://127.0.0.1',
      '--issuer',
      `${auth.url}=${auth.ehrJwksUrl}`,
      '--port',
      '0',
    ],
    { ...served.io, signal: stop.signal },
  )
  try {
    let base = ''
    for (let i = 0; i < 100 && !base; i++) {
      base = /(http:\/\/\S+)\/cds-services/.exec(served.out)?.[1] ?? ''
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(base).not.toBe('')
    const discovery = (await (await fetch(`${base}/cds-services`)).json()) as {
      services: { id: string }[]
    }
    expect(discovery.services.map((s) => s.id)).toEqual(['btt-patient-view', 'btt-order-sign'])
    expect((await fetch(`${base}/app/index.html`)).status).toBe(200)
    expect(
      (await fetch(`${base}/cds-services/btt-patient-view`, { method: 'POST', body: '{}' })).status,
    ).toBe(401)
    expect((await fetch(`${base}/nothing`)).status).toBe(404)
  } finally {
    stop.abort()
    expect(await running).toBe(0)
    await auth.stop()
  }
  for (const argv of [
    ['ehr', 'serve'],
    ['ehr', 'serve', '--public-url', 'x', '--issuer', 'a=b'],
    ['ehr', 'serve', '--public-url', 'http://h', '--issuer', 'noequals'],
    ['ehr', 'serve', '--public-url', 'http://h', '--issuer', 'a=http://j', '--port', '70000'],
    [
      'ehr',
      'serve',
      '--public-url',
      'http://h',
      '--issuer',
      'a=http://j',
      '--points-db',
      'x.sqlite',
    ],
    ['ehr', 'nothing'],
  ]) {
    const cap = captureIo()
    expect(await main(argv, cap.io), argv.join(' ')).toBe(2)
    expect(cap.err).toContain('Usage')
  }
})

test('btt ehr key create, then btt analyze --fhir-server with SMART Backend Services tokens (BTT_SMART_CLIENT_ID, BTT_SMART_KEY_FILE); serve publishes the JWKS', async () => {
  const auth = await startSmartAuthServer()
  const config = await (await fetch(`${auth.url}/.well-known/smart-configuration`)).json()
  const guarded = await startFhirServer({
    authorize: (h) => auth.isValidToken(h),
    extra: (req, res) => {
      if (!req.url?.endsWith('/.well-known/smart-configuration')) return false
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config))
      return true
    },
  })
  const keyFile = join(tmp(), 'key.json')
  const created = captureIo()
  expect(await main(['ehr', 'key', 'create', '--out', keyFile, '--alg', 'RS384'], created.io)).toBe(
    0,
  )
  const jwks = JSON.parse(created.out) as { keys: { alg: string; d?: string }[] }
  expect(jwks.keys[0]).toMatchObject({ alg: 'RS384' })
  expect(jwks.keys[0]!.d).toBeUndefined()
  expect(await main(['ehr', 'key', 'create', '--out', keyFile], captureIo().io)).toBe(2) // never overwritten
  auth.registerClient('btt-cli', jwks as never)
  const study = tmp()
  expect(await main(['demo-study', study], captureIo().io)).toBe(0)
  const saved = { ...process.env }
  try {
    const out = join(tmp(), 'out')
    const args = ['analyze', study, '--out', out, '--backend', 'cpu', '--fhir-server', guarded.url]
    const refused = captureIo()
    await expect(main(args, refused.io)).resolves.not.toBe(0) // no token: the server answers 401
    Object.assign(process.env, { BTT_SMART_CLIENT_ID: 'btt-cli', BTT_SMART_KEY_FILE: keyFile })
    const cap = captureIo()
    expect(await main(args, cap.io)).toBe(0)
    expect(cap.out).toMatch(/sent to .*: DiagnosticReport\//)
    expect(auth.issued.filter((i) => i.clientId === 'btt-cli').length).toBeGreaterThan(0)
  } finally {
    process.env = saved
  }
  const stop = new AbortController()
  const served = captureIo()
  const running = main(
    [
      'ehr',
      'serve',
      '--public-url',
      'http://127.0.0.1',
      '--issuer',
      `${auth.url}=${auth.ehrJwksUrl}`,
      '--port',
      '0',
      '--client-key',
      keyFile,
    ],
    { ...served.io, signal: stop.signal },
  )
  try {
    let base = ''
    for (let i = 0; i < 100 && !base; i++) {
      base = /(http:\/\/\S+)\/cds-services/.exec(served.out)?.[1] ?? ''
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(await (await fetch(`${base}/.well-known/jwks.json`)).json()).toEqual(jwks)
  } finally {
    stop.abort()
    await running
    await Promise.all([auth.stop(), guarded.stop()])
  }
})

test('btt ehr serve --points-db: the rest-hook endpoint acknowledges a handshake of a registered subscription, 404 for another', async () => {
  const auth = await startSmartAuthServer()
  const dir = tmp()
  const keyFile = join(dir, 'pseudonym.key')
  writeFileSync(keyFile, 'a-pseudonym-key-of-enough-length\n')
  const stop = new AbortController()
  const served = captureIo()
  const running = main(
    [
      'ehr',
      'serve',
      '--public-url',
      'http://127.0.0.1',
      '--issuer',
      `${auth.url}=${auth.ehrJwksUrl}`,
      '--port',
      '0',
      '--points-db',
      join(dir, 'points.sqlite'),
      '--state',
      join(dir, 'intake.sqlite'),
      '--pseudonym-key-file',
      keyFile,
      '--intake-fhir',
      fhir.url,
      '--subscription',
      'Subscription/s-1',
    ],
    { ...served.io, signal: stop.signal },
  )
  const handshake = (sub: string) => ({
    resourceType: 'Bundle',
    type: 'history',
    entry: [
      {
        resource: {
          resourceType: 'Parameters',
          parameter: [
            { name: 'subscription', valueReference: { reference: `${fhir.url}/${sub}` } },
            { name: 'type', valueCode: 'handshake' },
            { name: 'events-since-subscription-start', valueString: '0' },
          ],
        },
      },
    ],
  })
  try {
    let base = ''
    for (let i = 0; i < 100 && !base; i++) {
      base = /(http:\/\/\S+)\/cds-services/.exec(served.out)?.[1] ?? ''
      await new Promise((r) => setTimeout(r, 50))
    }
    const post = (b: unknown) =>
      fetch(`${base}/notifications`, { method: 'POST', body: JSON.stringify(b) })
    expect((await post(handshake('Subscription/s-1'))).status).toBe(200)
    expect((await post(handshake('Subscription/other'))).status).toBe(404)
    expect((await post({ resourceType: 'Bundle' })).status).toBe(400)
  } finally {
    stop.abort()
    expect(await running).toBe(0)
    await auth.stop()
  }
})

test('btt ehr hostile flags: coded one-line errors, no random port, no ftp URL, no file created before the inputs are read', async () => {
  const dir = tmp()
  const garbage = join(dir, 'garbage.json')
  writeFileSync(garbage, '{bad')
  const base = [
    'ehr',
    'serve',
    '--public-url',
    'http://127.0.0.1',
    '--issuer',
    'a=http://127.0.0.1:9/jwks',
  ]
  const run = async (args: string[]) => {
    const io = captureIo()
    return { code: await main(args, io.io), err: io.err }
  }
  // an empty --port was port 0 (a random port) and the server started
  expect((await run([...base, '--port', ''])).code).toBe(2)
  expect(
    (
      await run([
        'ehr',
        'serve',
        '--public-url',
        'ftp://x',
        '--issuer',
        'a=http://127.0.0.1:9/jwks',
      ])
    ).code,
  ).toBe(2)
  expect(
    (await run(['ehr', 'serve', '--public-url', 'http://127.0.0.1', '--issuer', 'a=ftp://x'])).code,
  ).toBe(2)
  const key = await run([...base, '--port', '0', '--client-key', garbage])
  expect(key.code).toBe(3)
  expect(key.err).toMatch(/^error CONNECTORS_INVALID_ARGUMENT: --client-key: .* is not JSON\.\n$/)
  const points = join(dir, 'points.sqlite')
  const pseudo = await run([
    ...base,
    '--port',
    '0',
    '--points-db',
    points,
    '--state',
    join(dir, 'state.sqlite'),
    '--pseudonym-key-file',
    join(dir, 'nope'),
    '--intake-fhir',
    'http://127.0.0.1:9',
  ])
  expect(pseudo.code).toBe(3)
  expect(pseudo.err).toMatch(
    /^error CONNECTORS_INVALID_ARGUMENT: --pseudonym-key-file: cannot read/,
  )
  expect(readdirSync(dir)).toEqual(['garbage.json'])
  for (const out of [join(dir, 'missing', 'k.json'), dir]) {
    const created = await run(['ehr', 'key', 'create', '--out', out])
    expect(created.code).not.toBe(0)
    expect(created.err).not.toMatch(/CORE_UNKNOWN/)
  }
  const missing = await run(['ehr', 'key', 'create', '--out', join(dir, 'missing', 'k.json')])
  expect(missing.err).toMatch(/^error CONNECTORS_INVALID_ARGUMENT: Cannot write the key file/)
})

test('btt ehr serve on a port in use: a coded error, not CORE_UNKNOWN', async () => {
  const busy = createServer()
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
  const port = String((busy.address() as AddressInfo).port)
  try {
    const io = captureIo()
    const args = [
      'ehr',
      'serve',
      '--public-url',
      'http://127.0.0.1',
      '--issuer',
      'a=http://127.0.0.1:9/jwks',
      '--port',
      port,
    ]
    expect(await main(args, io.io)).toBe(3)
    expect(io.err).toMatch(
      /^error CONNECTORS_INVALID_ARGUMENT: Cannot listen on 127\.0\.0\.1:\d+\.\n$/,
    )
  } finally {
    busy.close()
  }
})

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { type AddressInfo, createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeDicom } from '@btt/compute/testing'
import { orthancBinary, tool, useOrthanc } from '@btt/testing'
import { describe, expect, test } from 'vitest'
import { createDicomwebClient, jsonValue } from '../src/dicomweb/createDicomwebClient.js'
import { ConnectorsError } from '../src/errors.js'
import { datasetOf, value } from './fixtures.js'

const available = Boolean(orthancBinary())

const STUDY = '1.2.826.0.1.3680043.10.1398.200'
const instances = [1, 2, 3].map((n) =>
  writeDicom({
    frames: [Uint16Array.from({ length: 64 * 64 }, (_, i) => (i * n) % 4096)],
    rows: 64,
    columns: 64,
    studyInstanceUid: STUDY,
    seriesInstanceUid: `${STUDY}.1`,
    sopInstanceUid: `${STUDY}.1.${n}`,
    patientId: 'DW-1',
  }),
)

describe.skipIf(!available)('DICOMweb client against Orthanc', () => {
  const server = useOrthanc()

  test('STOW-RS stores, QIDO-RS finds, WADO-RS streams the study back byte-identical in content', async () => {
    const pacs = createDicomwebClient({
      url: server().dicomweb,
      headers: { 'X-Request-From': 'btt-tests' },
    })
    const stored = await pacs.store(instances)
    expect(stored.stored.sort()).toEqual([1, 2, 3].map((n) => `${STUDY}.1.${n}`))
    expect(stored.failed).toEqual([])

    const studies = await pacs.searchStudies({ PatientID: 'DW-1' })
    expect(studies.map((s) => jsonValue(s, '0020000D'))).toEqual([STUDY])
    const found = await pacs.searchInstances(STUDY)
    expect(found).toHaveLength(3)

    const back: string[] = []
    for await (const part of pacs.retrieveStudy(STUDY)) {
      const ds = datasetOf(part).dict
      back.push(String(value(ds, '00080018')))
      const original = instances[Number(String(value(ds, '00080018')).split('.').pop()) - 1]!
      expect(datasetOf(original).dict['7FE00010']!.Value).toEqual(ds['7FE00010']!.Value)
    }
    expect(back.sort()).toEqual(stored.stored.sort())
    const one = await pacs.retrieveInstance(STUDY, `${STUDY}.1`, `${STUDY}.1.2`)
    expect(value(datasetOf(one).dict, '00080018')).toBe(`${STUDY}.1.2`)
  })

  test('a STOW of a non-DICOM part stores nothing and reports the failure; errors are typed', async () => {
    const pacs = createDicomwebClient({ url: server().dicomweb })
    const before = await pacs.searchStudies()
    const garbage = new TextEncoder().encode('this is not a DICOM file')
    let outcome: unknown
    try {
      outcome = await pacs.store([garbage])
    } catch (error) {
      outcome = error
    }
    if (outcome instanceof ConnectorsError)
      expect(outcome.details?.status as number).toBeGreaterThanOrEqual(400)
    else expect((outcome as { stored: string[] }).stored).toEqual([])
    expect((await pacs.searchStudies()).length).toBe(before.length)

    await expect(pacs.retrieveInstance('1.2.3', '4.5.6', '7.8.9')).rejects.toMatchObject({
      code: 'DICOMWEB_HTTP_ERROR',
      details: expect.objectContaining({ status: 404 }),
    })
    const down = createDicomwebClient({ url: 'http://127.0.0.1:9/dicom-web' })
    await expect(down.searchStudies()).rejects.toMatchObject({
      code: 'DICOMWEB_UNREACHABLE',
      details: expect.objectContaining({ status: 0 }),
    })
  })
})

/** A local HTTP server answering with `handler`; every socket is destroyed when it stops. */
async function hostile(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const sockets = new Set<Socket>()
  const server = createHttpServer(handler)
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/dicom-web`,
    async [Symbol.asyncDispose]() {
      for (const s of sockets) s.destroy()
      await new Promise((r) => server.close(r))
    },
  }
}
const ms = (n: number) => new Promise((r) => setTimeout(r, n))

test('a server that accepts the connection and never answers: a typed error after the timeout, not a hang', async () => {
  const sockets: Socket[] = []
  const silent = createServer((socket) => sockets.push(socket)) // reads nothing, answers nothing
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  const { port } = silent.address() as AddressInfo
  try {
    const pacs = createDicomwebClient({
      url: `http://127.0.0.1:${port}/dicom-web`,
      timeoutSeconds: 0.3,
    })
    const search = await pacs.searchStudies().catch((e) => e)
    expect(search).toBeInstanceOf(ConnectorsError)
    expect(search.code).toBe('DICOMWEB_TIMEOUT')
    expect(String(search.message)).toMatch(/no progress for 0\.3 s/)
    const store = await pacs
      .store([writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })])
      .catch((e) => e)
    expect(store).toBeInstanceOf(ConnectorsError)
    expect(store.code).toBe('DICOMWEB_TIMEOUT')
  } finally {
    for (const s of sockets) s.destroy()
    silent.close()
  }
})

test('a QIDO answer that stalls in the body: DICOMWEB_TIMEOUT, not a hang (the timer covers the body)', async () => {
  await using server = await hostile((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/dicom+json' })
    res.write('[{"0020000D":{"vr":"UI","Value":["1.2') // … and nothing more
  })
  const pacs = createDicomwebClient({ url: server.url, timeoutSeconds: 0.3 })
  const error = await pacs.searchStudies().catch((e) => e)
  expect(error).toBeInstanceOf(ConnectorsError)
  expect(error).toMatchObject({ code: 'DICOMWEB_TIMEOUT', kind: 'timeout' })
  expect(error.shortMessage).toMatch(/no progress for 0\.3 s/)
})

test('a WADO answer that stalls after its first part: the instance given, then DICOMWEB_TIMEOUT', async () => {
  const part = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })
  await using server = await hostile((_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'multipart/related; type="application/dicom"; boundary=B',
    })
    res.write('--B\r\nContent-Type: application/dicom\r\n\r\n')
    res.write(part)
    res.write('\r\n--B\r\nContent-Type: application/dicom\r\n\r\nDICM') // second part stalls
  })
  const pacs = createDicomwebClient({ url: server.url, timeoutSeconds: 0.3 })
  const got: Uint8Array[] = []
  const error = await (async () => {
    for await (const instance of pacs.retrieveStudy('1.2.3')) got.push(instance)
  })().catch((e) => e)
  expect(got).toHaveLength(1)
  expect(Buffer.from(got[0]!).equals(Buffer.from(part))).toBe(true)
  expect(error).toMatchObject({ code: 'DICOMWEB_TIMEOUT' })
})

test('a body that keeps moving is not cut short by the no-progress timer; the deadline bounds it', async () => {
  await using server = await hostile(async (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/dicom+json' })
    for (const piece of ['[', '{"0020000D":', '{"vr":"UI",', '"Value":["1.2.3"]}', '}', ']']) {
      res.write(piece)
      await ms(100)
    }
    res.end()
  })
  const slow = createDicomwebClient({ url: server.url, timeoutSeconds: 0.3 })
  expect((await slow.searchStudies()).map((s) => jsonValue(s, '0020000D'))).toEqual(['1.2.3'])
  const bounded = createDicomwebClient({
    url: server.url,
    timeoutSeconds: 0.3,
    deadlineSeconds: 0.25,
  })
  const error = await bounded.searchStudies().catch((e) => e)
  expect(error).toMatchObject({ code: 'DICOMWEB_TIMEOUT' })
  expect(error.shortMessage).toMatch(/not finished within 0\.25 s/)
})

test('garbage bodies are DICOMWEB_BAD_RESPONSE: HTML for QIDO, a STOW answer that is not JSON, a truncated multipart', async () => {
  await using server = await hostile((req, res) => {
    if (req.method === 'POST') {
      req.resume()
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK!'))
    } else if (req.url?.includes('/instances/')) {
      res.writeHead(200, { 'Content-Type': 'multipart/related; boundary=B' })
      res.end('--B\r\nContent-Type: application/dicom\r\n\r\nDICM half a file') // no closing --B--
    } else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>proxy login</html>')
  })
  const pacs = createDicomwebClient({ url: server.url, timeoutSeconds: 5 })
  const qido = await pacs.searchStudies().catch((e) => e)
  expect(qido).toBeInstanceOf(ConnectorsError)
  expect(qido).toMatchObject({
    code: 'DICOMWEB_BAD_RESPONSE',
    details: expect.objectContaining({ status: 200, contentType: 'text/html' }),
  })
  expect(qido.shortMessage).toContain('not JSON (it starts "<html>proxy login')
  const stow = await pacs
    .store([writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })])
    .catch((e) => e)
  expect(stow).toMatchObject({ code: 'DICOMWEB_BAD_RESPONSE' })
  const wado = await pacs.retrieveInstance('1.2', '3.4', '5.6').catch((e) => e)
  expect(wado).toMatchObject({ code: 'DICOMWEB_BAD_RESPONSE' })
  expect(wado.shortMessage).toMatch(/truncated/)
})

test('connection failures say why: refused, reset, a name that does not resolve', async () => {
  const refusedPort = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo
      s.close(() => resolve(port))
    })
  })
  const refused = await createDicomwebClient({ url: `http://127.0.0.1:${refusedPort}` })
    .searchStudies()
    .catch((e) => e)
  expect(refused).toMatchObject({
    code: 'DICOMWEB_UNREACHABLE',
    details: expect.objectContaining({ category: 'refused', errorCode: 'ECONNREFUSED' }),
  })
  expect(refused.shortMessage).toContain('connection refused (ECONNREFUSED)')

  await using resets = await hostile((req) => req.socket.destroy())
  const reset = await createDicomwebClient({ url: resets.url })
    .searchStudies()
    .catch((e) => e)
  expect(reset).toMatchObject({
    code: 'DICOMWEB_UNREACHABLE',
    details: expect.objectContaining({ category: 'reset' }),
  })
  expect(reset.shortMessage).toMatch(/connection reset or closed by the server/)

  // a reset in the middle of the body
  await using midway = await hostile((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/dicom+json', 'Content-Length': '1000' })
    res.write('[{"00')
    setTimeout(() => res.socket?.destroy(), 50)
  })
  const cut = await createDicomwebClient({ url: midway.url })
    .searchStudies()
    .catch((e) => e)
  expect(cut).toMatchObject({
    code: 'DICOMWEB_UNREACHABLE',
    details: expect.objectContaining({ category: 'reset' }),
  })

  const dns = await createDicomwebClient({ url: 'http://pacs.nonexistent.invalid/dicom-web' })
    .searchStudies()
    .catch((e) => e)
  expect(dns).toMatchObject({
    code: 'DICOMWEB_UNREACHABLE',
    details: expect.objectContaining({ category: 'dns' }),
  })
  expect(dns.details.errorCode).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/)
  expect(dns.shortMessage).toContain('pacs.nonexistent.invalid could not be resolved')
})

test.skipIf(!tool('openssl', 'openssl'))(
  'a TLS server whose certificate is not trusted: DICOMWEB_UNREACHABLE naming TLS and the code',
  async () => {
    const certs = mkdtempSync(join(tmpdir(), 'btt-tls-'))
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(certs, 'key.pem'),
        '-out',
        join(certs, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    const server = createHttpsServer(
      { key: readFileSync(join(certs, 'key.pem')), cert: readFileSync(join(certs, 'cert.pem')) },
      (_req, res) => res.end('[]'),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const error = await createDicomwebClient({ url: `https://127.0.0.1:${port}` })
        .searchStudies()
        .catch((e) => e)
      expect(error).toMatchObject({
        code: 'DICOMWEB_UNREACHABLE',
        details: expect.objectContaining({ category: 'tls' }),
      })
      expect(error.shortMessage).toMatch(
        /TLS handshake failed.*\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID)\)/,
      )
    } finally {
      server.closeAllConnections()
      server.close()
      rmSync(certs, { recursive: true, force: true })
    }
  },
)

test('options are checked: a URL that is not http(s), a negative timeout', () => {
  expect(() => createDicomwebClient({ url: 'ftp://pacs' })).toThrow(
    expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }),
  )
  expect(() => createDicomwebClient({ url: 'http://pacs', timeoutSeconds: -1 })).toThrow(
    expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }),
  )
})

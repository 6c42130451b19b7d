import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const dir = mkdtempSync(join(tmpdir(), 'btt-payfi-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('btt payfi api-key create, then serve: a payment over REST with that key; other keys get 401', async () => {
  const db = join(dir, 'ledger.sqlite')
  const created = captureIo()
  expect(
    await main(
      ['payfi', 'api-key', 'create', '--merchant', 'clinic_1', '--ledger', db],
      created.io,
    ),
  ).toBe(0)
  const key = created.out.trim()
  expect(key).toMatch(/^sk_[A-Za-z0-9_-]{32}$/)
  const served = captureIo()
  const stop = new AbortController()
  const running = main(['payfi', 'serve', '--ledger', db, '--port', '0'], {
    ...served.io,
    signal: stop.signal,
  })
  let url = ''
  for (let i = 0; i < 100 && !url; i++) {
    url = /http:\/\/\S+\/v1\/payments/.exec(served.out)?.[0] ?? ''
    await new Promise((r) => setTimeout(r, 50))
  }
  expect(url).not.toBe('')
  const post = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'idempotency-key': 'k1',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ amount: '100.00', currency: 'CNY' }),
    signal: AbortSignal.timeout(10_000),
  })
  expect(post.status).toBe(201)
  expect(await post.json()).toMatchObject({ merchantId: 'clinic_1', quote: { gross: '10000' } })
  const other = await fetch(url, {
    headers: { authorization: 'Bearer sk_wrongwrongwrongwrongwrong' },
    signal: AbortSignal.timeout(10_000),
  })
  expect(other.status).toBe(401)
  stop.abort()
  expect(await running).toBe(0)
})

test('btt payfi refuses bad flags with exit code 2', async () => {
  for (const args of [
    ['payfi', 'serve', '--port', '70000'],
    ['payfi', 'serve', '--port', 'abc'],
    ['payfi', 'serve', '--webhook-url', 'http://127.0.0.1:1/'],
    ['payfi', 'api-key', 'create'],
    ['payfi'],
  ]) {
    const c = captureIo()
    expect(await main([...args, '--ledger', join(dir, 'x.sqlite')], c.io), args.join(' ')).toBe(2)
  }
})

test('btt payfi serve: an empty --port, an ftp webhook URL and a missing secret file are refused before anything is created', async () => {
  const db = join(dir, 'hostile.sqlite')
  const run = async (args: string[]) => {
    const c = captureIo()
    return { code: await main(['payfi', 'serve', '--ledger', db, ...args], c.io), err: c.err }
  }
  // --port '' was port 0: the API started on a random port
  const empty = await run(['--port', ''])
  expect(empty.code).toBe(2)
  expect(empty.err).toMatch(/^error CLI_USAGE: --port must be a whole number/)
  const ftp = await run(['--webhook-url', 'ftp://x', '--webhook-secret-file', db])
  expect(ftp.code).toBe(2)
  expect(ftp.err).toMatch(/^error CLI_USAGE: --webhook-url must be an http\(s\) URL/)
  const secret = await run([
    '--port',
    '0',
    '--webhook-url',
    'http://127.0.0.1:9/',
    '--webhook-secret-file',
    join(dir, 'nope'),
  ])
  expect(secret.code).toBe(3)
  expect(secret.err).toMatch(/^error PAYFI_INVALID_ARGUMENT: Cannot read the webhook secret file/)
  expect(existsSync(db)).toBe(false)
})

test('btt payfi serve on a port in use: a coded error (was CORE_UNKNOWN), also with a webhook (its timer kept the process alive)', async () => {
  const busy = createServer()
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
  const port = String((busy.address() as AddressInfo).port)
  const secret = join(dir, 'secret')
  writeFileSync(secret, 'a-long-enough-webhook-secret\n')
  try {
    for (const extra of [
      [],
      ['--webhook-url', 'http://127.0.0.1:9/', '--webhook-secret-file', secret],
    ]) {
      const c = captureIo()
      const args = [
        'payfi',
        'serve',
        '--ledger',
        join(dir, 'busy.sqlite'),
        '--port',
        port,
        ...extra,
      ]
      expect(await main(args, c.io)).toBe(3)
      expect(c.err).toMatch(/^error PAYFI_INVALID_ARGUMENT: Cannot listen on 127\.0\.0\.1:\d+\.\n$/)
      // the ledger it created for nothing is removed again (an existing one is kept)
      expect(existsSync(join(dir, 'busy.sqlite'))).toBe(false)
    }
    const kept = join(dir, 'kept.sqlite')
    const key = ['payfi', 'api-key', 'create', '--merchant', 'm1', '--ledger', kept]
    expect(await main(key, captureIo().io)).toBe(0)
    expect(await main(['payfi', 'serve', '--ledger', kept, '--port', port], captureIo().io)).toBe(3)
    expect(existsSync(kept)).toBe(true)
  } finally {
    busy.close()
  }
})

test('btt payfi serve refuses an empty or short webhook secret (every delivery failed silently) before creating the ledger', async () => {
  const db = join(dir, 'short-secret.sqlite')
  for (const text of ['', 'short\n']) {
    const secret = join(dir, 'short.secret')
    writeFileSync(secret, text)
    const c = captureIo()
    const args = [
      'payfi',
      'serve',
      '--ledger',
      db,
      '--port',
      '0',
      '--webhook-url',
      'http://127.0.0.1:9/',
      '--webhook-secret-file',
      secret,
    ]
    expect(await main(args, c.io)).toBe(3)
    expect(c.err).toMatch(
      /^error PAYFI_INVALID_ARGUMENT: The webhook secret in .* at least 16 characters\.\n$/,
    )
  }
  expect(existsSync(db)).toBe(false)
})

test('btt payfi api-key create with an invalid --merchant: refused before the ledger is created', async () => {
  const db = join(dir, 'merchant.sqlite')
  for (const merchant of ['a b', 'x'.repeat(100_000), 'ü']) {
    const c = captureIo()
    const args = ['payfi', 'api-key', 'create', '--merchant', merchant, '--ledger', db]
    expect(await main(args, c.io)).toBe(3)
    expect(c.err).toMatch(/^error PAYFI_INVALID_ARGUMENT: --merchant must be 1-64 of /)
    expect(c.err.length).toBeLessThan(300)
  }
  expect(existsSync(db)).toBe(false)
})

test('btt payfi: --db, the former name of --ledger, still works with a one-line notice on stderr; both at once are refused', async () => {
  const ledger = join(dir, 'alias.sqlite')
  const old = captureIo()
  expect(
    await main(['payfi', 'api-key', 'create', '--merchant', 'm_alias', '--db', ledger], old.io),
  ).toBe(0)
  expect(old.err).toBe('notice: --db is deprecated; use --ledger\n')
  expect(old.out.trim()).toMatch(/^sk_/)
  expect(existsSync(ledger)).toBe(true)
  const current = captureIo()
  const args = ['payfi', 'api-key', 'create', '--merchant', 'm_alias2', '--ledger', ledger]
  expect(await main(args, current.io)).toBe(0)
  expect(current.err).toBe('')
  const both = captureIo()
  expect(await main([...args, '--db', ledger], both.io)).toBe(2)
  expect(both.err).toMatch(/^error CLI_USAGE: --ledger and --db contradict/)
})

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const dir = mkdtempSync(join(tmpdir(), 'btt-cli-hostile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const key = join(dir, 'node.key')
writeFileSync(key, `0x${'11'.repeat(32)}\n`)

const run = async (argv: string[]) => {
  const io = captureIo()
  return { code: await main(argv, io.io), err: io.err, out: io.out }
}

test('a device or a folder where a key, secret or JSON file is expected: a coded error naming it, never read forever', async () => {
  const cases: [string[], RegExp][] = [
    [
      [
        'chain',
        'deploy',
        '--rpc',
        'http://127.0.0.1:9',
        '--key',
        '/dev/zero',
        '--out',
        join(dir, 'd.json'),
      ],
      /^error PAYFI_INVALID_KEY: Cannot read the key file \/dev\/zero/,
    ],
    [
      ['coordinator', 'verify-epoch', '/dev/zero', '/dev/zero'],
      /^error COMPUTE_INVALID_ARGUMENT: Cannot read \/dev\/zero/,
    ],
    [
      ['tokenize', 'register', '--asset', '/dev/zero', '--rpc', 'http://127.0.0.1:9', '--key', key],
      /^error TOKENIZE_INVALID_ARGUMENT: Cannot read the asset \/dev\/zero/,
    ],
    [
      [
        'node',
        'start',
        '--coordinator',
        'http://127.0.0.1:9',
        '--key',
        '/dev/zero',
        '--region',
        'cn',
      ],
      /^error COMPUTE_INVALID_ARGUMENT: Cannot read the key file \/dev\/zero/,
    ],
    [
      [
        'payfi',
        'serve',
        '--port',
        '0',
        '--webhook-url',
        'http://127.0.0.1:9',
        '--webhook-secret-file',
        dir,
      ],
      /^error PAYFI_INVALID_ARGUMENT: Cannot read the webhook secret file/,
    ],
  ]
  for (const [argv, message] of cases) {
    const r = await run(argv)
    expect(r.code, `${argv.join(' ')}\n${r.err}`).toBe(3)
    expect(r.err).toMatch(message)
  }
}, 30_000)

test('btt node start names the flag that is not a number, the port, the backend and a key file without a key, before loading any model', async () => {
  const base = [
    'node',
    'start',
    '--coordinator',
    'http://127.0.0.1:9',
    '--key',
    key,
    '--region',
    'cn',
  ]
  const garbage = join(dir, 'garbage.key')
  writeFileSync(garbage, 'not a key\n')
  const cases: [string[], RegExp][] = [
    [['--port', 'abc'], /--port must be a whole number from 0 to 65535, got "abc"/],
    [['--port', '70000'], /--port must be a whole number/],
    [['--price-floor=1e400'], /--price-floor must be a finite number, got "1e400"/],
    [['--power-watts', ''], /--power-watts must be a finite number/],
    [['--backend', 'remote'], /--backend must be auto, cpu, cuda or webgpu, got "remote"/],
  ]
  for (const [extra, message] of cases) {
    const r = await run([...base, ...extra])
    expect(r.code, extra.join(' ')).toBe(3)
    expect(r.err).toMatch(new RegExp(`^error COMPUTE_INVALID_ARGUMENT: ${message.source}`))
  }
  const bad = await run([
    'node',
    'start',
    '--coordinator',
    'http://127.0.0.1:9',
    '--key',
    garbage,
    '--region',
    'cn',
  ])
  expect(bad.code).toBe(3)
  expect(bad.err).toMatch(
    /^error COMPUTE_INVALID_ARGUMENT: --key .* does not hold one 32-byte hex private key/,
  )
}, 30_000)

test('btt coordinator epoch names a bad --epoch, --epoch-seconds, --since, a missing --data folder and an --out that cannot be a folder; creates nothing', async () => {
  const data = join(dir, 'coordinator')
  expect(
    (await run(['coordinator', 'keys', 'create', '--clinic', 'c1', '--data', data])).code,
  ).toBe(0)
  const file = join(dir, 'a-file')
  writeFileSync(file, 'x')
  const base = ['coordinator', 'epoch', '--epoch-id', 'e1', '--data', data]
  const out = join(dir, 'epoch-out')
  const cases: [string[], RegExp][] = [
    [['--epoch', 'abc', '--epoch-seconds', '60', '--out', out], /--epoch must be a whole number/],
    [
      ['--epoch', '1', '--epoch-seconds', '0', '--out', out],
      /--epoch-seconds must be a whole number of at least 1/,
    ],
    [
      ['--epoch', '1', '--epoch-seconds', '60', '--out', out, '--since', 'yesterday'],
      /--since must be an ISO 8601 time/,
    ],
    [
      ['--epoch', '1', '--epoch-seconds', '60', '--out', file],
      /--out .* cannot be used: it exists and is not a folder/,
    ],
    [
      ['--epoch', '1', '--epoch-seconds', '60', '--out', join(file, 'below')],
      /--out .* cannot be used: .* is not a folder/,
    ],
  ]
  for (const [extra, message] of cases) {
    const r = await run([...base, ...extra])
    expect(r.code, `${extra.join(' ')}\n${r.err}`).toBe(3)
    expect(r.err).toMatch(new RegExp(`^error COMPUTE_INVALID_ARGUMENT: ${message.source}`))
  }
  const missing = join(dir, 'no-such-data')
  const r = await run([
    'coordinator',
    'epoch',
    '--epoch-id',
    'e1',
    '--epoch',
    '1',
    '--epoch-seconds',
    '60',
    '--out',
    out,
    '--data',
    missing,
  ])
  expect(r.code).toBe(3)
  expect(r.err).toMatch(
    /^error COMPUTE_INVALID_ARGUMENT: --data .* is not a coordinator's data folder/,
  )
  const { existsSync } = await import('node:fs')
  expect(existsSync(missing)).toBe(false)
  expect(existsSync(out)).toBe(false)
}, 60_000)

test('btt chain deploy / tokenize deploy with an --out that cannot be written: refused before anything is sent (the contracts were deployed, then the record failed)', async () => {
  const out = '/proc/btt-deployment.json' // a folder that exists, "writable" by its mode, refusing files
  const chain = await run([
    'chain',
    'deploy',
    '--rpc',
    'http://127.0.0.1:9',
    '--key',
    key,
    '--out',
    out,
  ])
  expect(chain.code).toBe(3)
  expect(chain.err).toMatch(/^error PAYFI_INVALID_ARGUMENT: --out .* cannot be written/)
  const tokenize = await run([
    'tokenize',
    'deploy',
    '--rpc',
    'http://127.0.0.1:9',
    '--key',
    key,
    '--out',
    out,
  ])
  expect(tokenize.code).toBe(3)
  expect(tokenize.err).toMatch(/^error TOKENIZE_INVALID_ARGUMENT: --out .* cannot be written/)
})

test('btt tokenize names a --country, --ttl, --record-block or --batch-size that is not a whole number in bounds, before reading the deployment or connecting', async () => {
  const common = [
    '--rpc',
    'http://127.0.0.1:9',
    '--key',
    key,
    '--deployment',
    join(dir, 'none.json'),
  ]
  const cases: [string[], string][] = [
    [
      [
        'verify',
        '--investor',
        `0x${'00'.repeat(19)}01`,
        '--country',
        'abc',
        '--expires',
        '2030-01-01',
      ],
      'country',
    ],
    [
      [
        'verify',
        '--investor',
        `0x${'00'.repeat(19)}01`,
        '--country',
        '1e3',
        '--expires',
        '2030-01-01',
      ],
      'country',
    ],
    [
      [
        'trade',
        '--asset-id',
        'a',
        '--seller-key',
        key,
        '--buyer-key',
        key,
        '--amount',
        '1',
        '--price',
        '1',
        '--ttl=-1',
      ],
      'ttl',
    ],
    [['distribute', '--asset-id', 'a', '--record-block', 'latest', '--total', '5'], 'record-block'],
    [
      ['distribute', '--asset-id', 'a', '--record-block', '5', '--total', '5', '--batch-size', '0'],
      'batch-size',
    ],
  ]
  for (const [argv, flag] of cases) {
    const r = await run(['tokenize', ...argv, ...common])
    expect(r.code, `${argv.join(' ')}\n${r.err}`).toBe(3)
    expect(r.err).toMatch(
      new RegExp(`^error TOKENIZE_INVALID_ARGUMENT: --${flag} must be a whole number`),
    )
  }
})

test('btt analyze / node start --model /dev/zero or a folder: COMPUTE_UNREADABLE_MODEL, not read forever', async () => {
  for (const model of ['/dev/zero', dir]) {
    const analyze = await run(['analyze', key, '--out', join(dir, 'never'), '--model', model])
    expect(analyze.code, analyze.err).toBe(9)
    expect(analyze.err).toMatch(/^error COMPUTE_UNREADABLE_MODEL: --model /)
    const node = await run([
      'node',
      'start',
      '--coordinator',
      'http://127.0.0.1:9',
      '--key',
      key,
      '--region',
      'cn',
      '--model',
      model,
    ])
    expect(node.code, node.err).toBe(9)
    expect(node.err).toMatch(/^error COMPUTE_UNREADABLE_MODEL: --model /)
  }
})

test('btt coordinator and pacs watch with a --data or --spool under /proc: a coded error, not a hang in a recursive mkdir; a bad --clinic creates no store', async () => {
  const keys = await run([
    'coordinator',
    'keys',
    'create',
    '--clinic',
    'c1',
    '--data',
    '/proc/btt-data',
  ])
  expect(keys.code).toBe(3)
  expect(keys.err).toMatch(
    /^error COMPUTE_INVALID_ARGUMENT: --data \/proc\/btt-data: cannot create the folder/,
  )
  const start = await run(['coordinator', 'start', '--port', '0', '--data', '/proc/btt-data'])
  expect(start.code).toBe(3)
  expect(start.err).toMatch(
    /^error COMPUTE_INVALID_ARGUMENT: --data \/proc\/btt-data: cannot create/,
  )
  const jobs = join(dir, 'spool-jobs.sqlite')
  const pacs = await run([
    ...['pacs', 'watch', '--dicomweb', 'http://127.0.0.1:9', '--aet', 'BTT', '--port', '0'],
    ...['--spool', '/proc/btt-spool', '--jobs', jobs],
  ])
  expect(pacs.code).toBe(3)
  expect(pacs.err).toMatch(
    /^error CONNECTORS_INVALID_ARGUMENT: --spool \/proc\/btt-spool: cannot create/,
  )
  const data = join(dir, 'clinic-data')
  const clinic = await run(['coordinator', 'keys', 'create', '--clinic', 'bad id!', '--data', data])
  expect(clinic.code).toBe(3)
  expect(clinic.err).toMatch(/^error COMPUTE_INVALID_ARGUMENT: --clinic must be /)
  const { existsSync } = await import('node:fs')
  expect(existsSync(data)).toBe(false)
}, 30_000)

test("btt tokenize register reads a relative document path from the asset file's folder (it read it from the caller's), and refuses an entry without one", async () => {
  const { mkdirSync } = await import('node:fs')
  const assets = join(dir, 'assets')
  mkdirSync(assets)
  writeFileSync(join(assets, 'appraisal.pdf'), 'appraisal')
  const asset = (documents: unknown[]) => {
    const file = join(assets, `asset-${documents.length}-${Math.random()}.json`)
    writeFileSync(
      file,
      JSON.stringify({ id: 'a1', valuation: { value: '1', date: '2026-01-01' }, documents }),
    )
    return file
  }
  const common = [
    '--rpc',
    'http://127.0.0.1:9',
    '--key',
    key,
    '--deployment',
    join(dir, 'none.json'),
  ]
  const relative = await run([
    'tokenize',
    'register',
    '--asset',
    asset([{ name: 'a', uri: 'ipfs://a', file: 'appraisal.pdf' }]),
    ...common,
  ])
  expect(relative.code).toBe(3)
  expect(relative.err).toMatch(/^error TOKENIZE_INVALID_ARGUMENT: Cannot read the deployment/) // the document was read
  const missing = await run([
    'tokenize',
    'register',
    '--asset',
    asset([{ name: 'a', uri: 'ipfs://a' }]),
    ...common,
  ])
  expect(missing.code).toBe(3)
  expect(missing.err).toMatch(/documents\[0\]\.file must name the document's file/)
})

test('btt coordinator start --model with JSON that is not a manifest (null, [], a bad tolerance): COMPUTE_INVALID_MANIFEST, not CORE_UNKNOWN', async () => {
  for (const [name, text] of [
    ['null.json', 'null'],
    ['array.json', '[]'],
    ['tolerance.json', '{"tolerance":"x"}'],
  ] as const) {
    const file = join(dir, name)
    writeFileSync(file, text)
    const r = await run(['coordinator', 'start', '--port', '0', '--model', file])
    expect(r.code, r.err).toBe(3)
    expect(r.err).toMatch(/^error COMPUTE_INVALID_MANIFEST: --model .* is not a model manifest/)
  }
  // a real manifest is still taken
  const { demoModelManifestPath } = await import('@btt/compute')
  const stop = new AbortController()
  const io = captureIo()
  const args = ['coordinator', 'start', '--port', '0', '--model', demoModelManifestPath()]
  const running = main(args, { ...io.io, signal: stop.signal })
  for (let i = 0; i < 200 && !io.out.includes('coordinator on'); i++)
    await new Promise((r) => setTimeout(r, 50))
  stop.abort()
  expect(await running, io.err).toBe(0)
  expect(io.out).toMatch(/^coordinator on http:\/\/127\.0\.0\.1:\d+ \(in memory\)/)
})

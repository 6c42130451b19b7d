import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectChain } from '@btt/payfi/evm'
import { useAnvil } from '@btt/testing'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const anvil = useAnvil()
const dir = mkdtempSync(join(tmpdir(), 'btt-tokenize-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const keys: string[] = []
const ONE = 10n ** 18n

beforeAll(() => {
  for (const [i, k] of anvil().privateKeys.entries()) {
    keys.push(join(dir, `key${i}`))
    writeFileSync(keys[i]!, `${k}\n`)
  }
})

async function btt(...args: string[]) {
  const run = captureIo()
  const code = await main(
    [
      'tokenize',
      ...args,
      '--rpc',
      anvil().rpcUrl,
      '--deployment',
      join(dir, 'tokenize.json'),
      '--ledger',
      join(dir, 'ledger.sqlite'),
      '--json',
    ],
    run.io,
  )
  return { code, out: run.out ? JSON.parse(run.out) : null, err: run.err }
}

test('btt tokenize: deploy, verify, register, mint, trade, revalue, distribute, with --json', async () => {
  const deployed = await btt('deploy', '--key', keys[0]!, '--out', join(dir, 'tokenize.json'))
  expect(deployed.code).toBe(0)
  expect(deployed.out.market).toMatch(/^0x[0-9a-fA-F]{40}$/)
  expect((await btt('deploy', '--key', keys[0]!, '--out', join(dir, 'tokenize.json'))).err).toMatch(
    /TOKENIZE_DEPLOYMENT_EXISTS/,
  )
  const [agent, clinic] = await Promise.all(
    anvil()
      .privateKeys.slice(0, 2)
      .map(async (privateKey) => {
        const c = await connectChain({ rpcUrl: anvil().rpcUrl, privateKey })
        c.provider.destroy()
        return c.address
      }),
  )
  for (const investor of [agent!, clinic!])
    expect(
      (
        await btt(
          'verify',
          '--key',
          keys[0]!,
          '--investor',
          investor,
          '--country',
          '156',
          '--expires',
          '2099-01-01',
          '--accredited',
        )
      ).code,
    ).toBe(0)
  const doc = join(dir, 'appraisal.pdf')
  writeFileSync(doc, 'appraisal')
  const assetFile = join(dir, 'asset.json')
  writeFileSync(
    assetFile,
    JSON.stringify({
      id: 'mri-001',
      type: 'equipment',
      owner: clinic,
      currency: 'CNY',
      tier: { complexity: 'high', regulatory: 'regulated', assetClass: 'complex' },
      valuation: {
        value: '1000000000',
        date: '2026-01-02T00:00:00Z',
        method: 'cost-approach',
        appraiser: 'Appraiser A',
      },
      documents: [{ name: 'appraisal', uri: 'ipfs://appraisal', file: doc }],
    }),
  )
  const registered = await btt('register', '--key', keys[0]!, '--asset', assetFile)
  expect(registered.code).toBe(0)
  expect(registered.out.valuation.value).toBe('1000000000')
  const minted = await btt(
    'mint',
    '--key',
    keys[0]!,
    '--asset-id',
    'mri-001',
    '--supply',
    String(10_000_000n * ONE),
    '--name',
    'MRI',
    '--symbol',
    'MRI',
  )
  expect(minted.code).toBe(0)
  expect(minted.out.fee.fee).toBe('25000000') // 2.5% of 10,000,000 CNY, in fen
  const traded = await btt(
    'trade',
    '--key',
    keys[0]!,
    '--asset-id',
    'mri-001',
    '--seller-key',
    keys[1]!,
    '--buyer-key',
    keys[0]!,
    '--amount',
    String(1000n * ONE),
    '--price',
    String(150_000n * ONE),
  )
  expect(traded.code).toBe(0)
  expect(traded.out.trade.burn).toBe(String(150n * ONE))
  const revalued = await btt(
    'revalue',
    '--key',
    keys[0]!,
    '--asset-id',
    'mri-001',
    '--value',
    '1100000000',
    '--date',
    new Date(Date.now() - 1000).toISOString(),
    '--method',
    'income',
    '--appraiser',
    'Appraiser B',
  )
  expect(revalued.code).toBe(0)
  expect(revalued.out.record.index).toBe(1)
  const block = (await (
    await fetch(anvil().rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
    })
  ).json()) as { result: string }
  const paid = await btt(
    'distribute',
    '--key',
    keys[0]!,
    '--asset-id',
    'mri-001',
    '--record-block',
    String(Number(block.result) - 1),
    '--total',
    '1000001',
  )
  expect(paid.code).toBe(0)
  expect(
    paid.out.shares
      .map((s: { amount: string }) => BigInt(s.amount))
      .reduce((a: bigint, b: bigint) => a + b, 0n),
  ).toBe(1_000_001n)
  // by record date: the last block at or before it (the chain's clock moved on since)
  const rpc = async (method: string, params: unknown[] = []) =>
    (
      (await (
        await fetch(anvil().rpcUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
        })
      ).json()) as { result: unknown }
    ).result
  const latest = (await rpc('eth_getBlockByNumber', ['latest', false])) as { timestamp: string }
  await rpc('evm_increaseTime', [60])
  await rpc('evm_mine')
  const recordDate = new Date(Number(latest.timestamp) * 1000).toISOString()
  const byDate = await btt(
    'distribute',
    '--key',
    keys[0]!,
    '--asset-id',
    'mri-001',
    '--record-date',
    recordDate,
    '--total',
    '999',
  )
  expect(byDate.code).toBe(0)
  expect(byDate.out.shares.length).toBeGreaterThan(0)
  const tooEarly = await btt(
    'distribute',
    '--key',
    keys[0]!,
    '--asset-id',
    'mri-001',
    '--record-date',
    '2001-01-01',
    '--total',
    '999',
  )
  expect(tooEarly.code).toBe(3)
}, 120_000)

test('bad flags and refused transfers exit non-zero with the code', async () => {
  const negative = await btt(
    'revalue',
    '--key',
    keys[0]!,
    '--asset-id',
    'mri-001',
    '--value=-5',
    '--date',
    '2026-01-01',
    '--method',
    'm',
    '--appraiser',
    'a',
  )
  expect(negative.code).toBe(3)
  expect(negative.err).toMatch(/TOKENIZE_INVALID_ARGUMENT/)
  const unverified = await btt(
    'trade',
    '--key',
    keys[0]!,
    '--asset-id',
    'mri-001',
    '--seller-key',
    keys[1]!,
    '--buyer-key',
    keys[4]!,
    '--amount',
    '1',
    '--price',
    '1',
  )
  expect(unverified.code).toBe(6)
  expect(unverified.err).toMatch(/TOKENIZE_TRANSFER_RESTRICTED/)
  const missing = await btt(
    'mint',
    '--key',
    keys[0]!,
    '--asset-id',
    'nope',
    '--supply',
    '1',
    '--name',
    'n',
    '--symbol',
    'N',
  )
  expect(missing.code).toBe(4)
  expect((await btt('bogus')).code).toBe(2)
})

test('btt tokenize deploy --force never writes over its --key file nor deploys towards a folder --out', async () => {
  const key = join(dir, 'own.key')
  writeFileSync(key, `${anvil().privateKeys[0]}\n`)
  for (const out of [key, dir, join(dir, 'missing', 'd.json')]) {
    const run = captureIo()
    const args = [
      'tokenize',
      'deploy',
      '--rpc',
      anvil().rpcUrl,
      '--key',
      key,
      '--out',
      out,
      '--force',
    ]
    expect(await main(args, run.io)).toBe(3)
    expect(run.err).toMatch(/^error TOKENIZE_INVALID_ARGUMENT: --out /)
  }
  expect(readFileSync(key, 'utf8')).toBe(`${anvil().privateKeys[0]}\n`)
}, 60_000)

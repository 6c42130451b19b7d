import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { useAnvil } from '@btt/testing'
import { afterAll, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const anvil = useAnvil()
const dir = mkdtempSync(join(tmpdir(), 'btt-chain-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('btt chain deploy deploys, prints the addresses and writes them; never overwrites the record', async () => {
  const key = join(dir, 'key')
  writeFileSync(key, `${anvil().privateKeys[0]}\n`)
  const out = join(dir, 'deployment.json')
  const run = captureIo()
  expect(
    await main(['chain', 'deploy', '--rpc', anvil().rpcUrl, '--key', key, '--out', out], run.io),
  ).toBe(0)
  const deployment = JSON.parse(readFileSync(out, 'utf8'))
  expect(deployment.token).toMatch(/^0x[0-9a-fA-F]{40}$/)
  expect(run.out).toContain(deployment.token)
  expect(
    deployment.allocation
      .map((a: { amount: string }) => BigInt(a.amount))
      .reduce((s: bigint, a: bigint) => s + a, 0n),
  ).toBe(21_000_000n * 10n ** 18n)
  const again = captureIo()
  expect(
    await main(['chain', 'deploy', '--rpc', anvil().rpcUrl, '--key', key, '--out', out], again.io),
  ).toBe(5)
  expect(again.err).toMatch(/^error PAYFI_DEPLOYMENT_EXISTS/)
  expect(JSON.parse(readFileSync(out, 'utf8')).token).toBe(deployment.token)
}, 120_000)

test('a bad key file, a bad beneficiaries file and an unreachable node: coded errors, nothing written', async () => {
  const bad = join(dir, 'bad-key')
  writeFileSync(bad, 'not a key')
  const out = join(dir, 'never.json')
  const a = captureIo()
  expect(
    await main(['chain', 'deploy', '--rpc', anvil().rpcUrl, '--key', bad, '--out', out], a.io),
  ).toBe(3)
  expect(a.err).toMatch(/^error PAYFI_INVALID_KEY/)
  const key = join(dir, 'key2')
  writeFileSync(key, anvil().privateKeys[1]!)
  const ben = join(dir, 'ben.json')
  writeFileSync(ben, JSON.stringify({ bithive: 'nope' }))
  const b = captureIo()
  expect(
    await main(
      [
        'chain',
        'deploy',
        '--rpc',
        anvil().rpcUrl,
        '--key',
        key,
        '--out',
        out,
        '--beneficiaries',
        ben,
      ],
      b.io,
    ),
  ).toBe(3)
  const c = captureIo()
  expect(
    await main(
      ['chain', 'deploy', '--rpc', 'http://127.0.0.1:9', '--key', key, '--out', out],
      c.io,
    ),
  ).toBe(7)
  expect(c.err).toMatch(/^error PAYFI_CHAIN_UNAVAILABLE/)
  expect(() => readFileSync(out)).toThrow()
})

test('btt chain deploy --force never writes over its --key file nor deploys towards a folder --out', async () => {
  const key = join(dir, 'own.key')
  writeFileSync(key, `${anvil().privateKeys[0]}\n`)
  for (const out of [key, dir, join(dir, 'missing', 'd.json')]) {
    const run = captureIo()
    const args = ['chain', 'deploy', '--rpc', anvil().rpcUrl, '--key', key, '--out', out, '--force']
    expect(await main(args, run.io)).toBe(3)
    expect(run.err).toMatch(/^error PAYFI_INVALID_ARGUMENT: --out /)
  }
  expect(readFileSync(key, 'utf8')).toBe(`${anvil().privateKeys[0]}\n`)
}, 60_000)

test('btt chain deploy --beneficiaries {}: every entry goes to the deployer, the allocation sums exactly; an unknown id is refused', async () => {
  const key = join(dir, 'key-empty')
  writeFileSync(key, `${anvil().privateKeys[2]}\n`)
  const empty = join(dir, 'empty.json')
  writeFileSync(empty, '{}')
  const out = join(dir, 'deployment-empty.json')
  const args = ['chain', 'deploy', '--rpc', anvil().rpcUrl, '--key', key, '--out', out]
  const run = captureIo()
  expect(await main([...args, '--beneficiaries', empty], run.io), run.err).toBe(0)
  const deployment = JSON.parse(readFileSync(out, 'utf8'))
  const amounts = deployment.allocation.map((a: { amount: string }) => BigInt(a.amount))
  expect(amounts.reduce((s: bigint, a: bigint) => s + a, 0n)).toBe(21_000_000n * 10n ** 18n)
  for (const a of deployment.allocation.filter((x: { holder: string }) => x.holder === 'address'))
    expect(a.address.toLowerCase()).toBe(deployment.deployer.toLowerCase())
  // a typo'd id would silently send that entry to the deployer: refused before anything is sent
  const typo = join(dir, 'typo.json')
  writeFileSync(typo, JSON.stringify({ 'minning-pool': deployment.deployer }))
  const bad = captureIo()
  const other = join(dir, 'deployment-typo.json')
  expect(await main([...args.slice(0, -1), other, '--beneficiaries', typo], bad.io)).toBe(3)
  expect(bad.err).toMatch(/^error PAYFI_INVALID_ARGUMENT: .*minning-pool/)
  expect(() => readFileSync(other)).toThrow()
}, 120_000)

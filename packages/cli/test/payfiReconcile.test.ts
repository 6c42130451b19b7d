import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPayments, createSettlement, openSqliteLedger } from '@btt/payfi'
import {
  attach,
  type ChainConnection,
  connectChain,
  createEvmSettlementChain,
  deploy,
  payoutBatch,
} from '@btt/payfi/evm'
import { useAnvil } from '@btt/testing'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const anvil = useAnvil()
const dir = mkdtempSync(join(tmpdir(), 'btt-reconcile-'))
let chain: ChainConnection
let stable: string
let batchPayout: string
const ledgerPath = join(dir, 'ledger.sqlite')
const deploymentPath = join(dir, 'deployment.json')
const payee = `0x${'ab'.repeat(20)}`

beforeAll(async () => {
  chain = await connectChain({ rpcUrl: anvil().rpcUrl, privateKey: anvil().privateKeys[0]! })
  stable = await deploy(chain, 'TestStablecoin', ['Test CNY', 'tCNY', 6, chain.address])
  batchPayout = await deploy(chain, 'BatchPayout', [chain.address])
  const token = attach(chain, 'TestStablecoin', stable)
  await (await token.getFunction('mint')(chain.address, 10n ** 15n)).wait()
  await (await token.getFunction('approve')(batchPayout, 2n ** 256n - 1n)).wait()
  writeFileSync(
    deploymentPath,
    JSON.stringify({
      deployer: chain.address,
      token: `0x${'00'.repeat(19)}01`, // no BTT payouts in this test
      batchPayout,
      settlementAssets: { CNY: { token: stable, decimals: 6 } },
    }),
  )
  // a captured CNY payment, settled on anvil
  const store = openSqliteLedger(ledgerPath)
  const pay = createPayments(store)
  const p = await pay.create(
    'clinic',
    { amount: '250.00', currency: 'CNY' },
    { idempotencyKey: 'c' },
  )
  await pay.authorize('clinic', p.id, { idempotencyKey: 'a' })
  await pay.capture('clinic', p.id, {}, { idempotencyKey: 'k' })
  const settlement = createSettlement(store, {
    chain: createEvmSettlementChain({ ...chain, batchPayout }),
    assets: { CNY: { token: stable, decimals: 6 } },
    payees: { clinic: payee },
    confirmations: 1,
    pollMs: 20,
  })
  expect((await settlement.run()).batches).toMatchObject([{ status: 'posted' }])
  await store.close()
}, 120_000)
afterAll(() => {
  chain?.provider.destroy()
  rmSync(dir, { recursive: true, force: true })
})

const args = () => [
  'payfi',
  'reconcile',
  '--rpc',
  anvil().rpcUrl,
  '--ledger',
  ledgerPath,
  '--deployment',
  deploymentPath,
]

test('btt payfi reconcile: exit 0 and no differences when the chain and the ledger agree; exit 10 (integrity) with the difference after a payout the ledger does not know', async () => {
  const ok = captureIo()
  expect(await main(args(), ok.io), ok.err).toBe(0)
  expect(ok.out).toContain('no differences')
  expect(ok.out).toContain('chain: evm chain 31337')
  expect(ok.out).toMatch(/CNY .* ledger paid (\d+), in flight 0; chain paid \1/)
  // the deliberate mismatch: a batch paid on chain outside the ledger
  await payoutBatch(chain, {
    batchPayout,
    token: stable,
    batchId: 'outside-the-ledger',
    payouts: [{ to: payee, amount: 12_345n }],
  })
  const bad = captureIo()
  expect(await main([...args(), '--json'], bad.io)).toBe(10)
  const report = JSON.parse(bad.out)
  expect(report.differences.map((d: { kind: string }) => d.kind).sort()).toEqual([
    'balance_mismatch',
    'missing_in_ledger',
  ])
  expect(report.differences).toContainEqual(
    expect.objectContaining({ kind: 'missing_in_ledger', chainTotal: '12345' }),
  )
  expect(JSON.parse(bad.err)).toMatchObject({ code: 'PAYFI_RECONCILE_MISMATCH' })
}, 60_000)

test('bad flags, a missing ledger, a bad deployment and an unreachable node: coded errors', async () => {
  const missing = captureIo()
  expect(await main(['payfi', 'reconcile', '--rpc', anvil().rpcUrl], missing.io)).toBe(3)
  expect(missing.err).toMatch(/PAYFI_INVALID_ARGUMENT/)
  const noLedger = captureIo()
  const a = args()
  a[5] = join(dir, 'nope.sqlite')
  expect(await main(a, noLedger.io)).toBe(3)
  expect(noLedger.err).toMatch(/does not exist/)
  const badDeployment = join(dir, 'bad.json')
  writeFileSync(badDeployment, JSON.stringify({ token: 'x' }))
  const b = args()
  b[7] = badDeployment
  const bad = captureIo()
  expect(await main(b, bad.io)).toBe(3)
  const pending = captureIo()
  expect(await main([...args(), '--max-pending-minutes', '0'], pending.io)).toBe(3)
  const down = captureIo()
  const c = args()
  c[3] = 'http://127.0.0.1:9'
  expect(await main([...c, '--timeout-seconds', '2'], down.io)).toBe(7)
  expect(down.err).toMatch(/PAYFI_CHAIN_UNAVAILABLE/)
}, 60_000)

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { useAnvil } from '@btt/testing'
import { MaxUint256 } from 'ethers'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { attach, createEvmSettlementChain, deploy } from '../../src/evm/index.js'
import { createSettlement, openSqliteLedger, reconcile, settlementSteps } from '../../src/index.js'
import { type EvmFixture, evmFixture, startMiner } from './evmSetup.js'
import { addressOf, capturePayments, chainPayouts, owed } from './helpers.js'

const anvil = useAnvil()
const dir = mkdtempSync(join(tmpdir(), 'payfi-settle-crash-'))
let fx: EvmFixture
let stopMiner: () => void
beforeAll(async () => {
  fx = await evmFixture(anvil().rpcUrl, anvil().privateKeys[0]!)
  stopMiner = startMiner(anvil().rpcUrl)
}, 120_000)
afterAll(() => {
  stopMiner?.()
  fx?.chain.provider.destroy()
  rmSync(dir, { recursive: true, force: true })
})

/** Runs a settlement in a child that kill -9's itself at `step`; resolves with how it ended. */
function runChildUntil(
  step: string | undefined,
  args: string[],
): Promise<{ signal: string | null; code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@btt/source',
        join(import.meta.dirname, 'fixtures/settleChild.ts'),
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SETTLE_KILL_AT: step ?? '' } },
    )
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ signal, code, out })
    })
  })
}

test.each(settlementSteps)(
  'kill -9 after "%s", then recover + run: every payout paid exactly once, the ledger matches the chain',
  async (step) => {
    // the child used the same key: this process's nonce manager re-reads the nonce, as a restart would
    fx.chain.signer.reset()
    // a fresh payout contract per case, so the chain holds only this case's batches
    const batchPayout = await deploy(fx.chain, 'BatchPayout', [fx.chain.address])
    await (
      await attach(fx.chain, 'TestStablecoin', fx.stable).getFunction('approve')(
        batchPayout,
        MaxUint256,
      )
    ).wait(1, 30_000)
    const n = settlementSteps.indexOf(step)
    const payees = { [`m${n}a`]: addressOf(100 + n * 2), [`m${n}b`]: addressOf(101 + n * 2) }
    const path = join(dir, `${step}.db`)
    const store = openSqliteLedger(path)
    const net = await capturePayments(store, [
      { merchant: `m${n}a`, amount: 123_456n },
      { merchant: `m${n}b`, amount: 7_890n },
      { merchant: `m${n}a`, amount: 1_000n },
    ])
    await store.close()
    const child = await runChildUntil(step, [
      path,
      anvil().rpcUrl,
      anvil().privateKeys[0]!,
      fx.stable,
      batchPayout,
      JSON.stringify(payees),
    ])
    expect(child.signal, child.out).toBe('SIGKILL')
    // the restart
    fx.chain.signer.reset()
    const ledger = openSqliteLedger(path)
    const chain = createEvmSettlementChain({ ...fx.chain, batchPayout })
    const settlement = createSettlement(ledger, {
      chain,
      assets: { CNY: { token: fx.stable, decimals: 6 } },
      payees,
      confirmations: 2,
      pollMs: 50,
    })
    // what the crash left: the reservation (posted only after "posted"), the payout from "sent" on
    const total = [...net.values()].reduce((s, x) => s + x, 0n)
    expect(await chainPayouts(ledger)).toEqual(
      step === 'posted' ? { posted: total, pending: 0n } : { posted: 0n, pending: total },
    )
    expect((await chain.payoutEvents()).length).toBe(step === 'reserved' ? 0 : 1)
    const recovered = await settlement.recover()
    expect(recovered.every((b) => b.status === 'posted')).toBe(true)
    expect(recovered.length).toBe(step === 'posted' ? 0 : 1)
    expect((await settlement.run()).batches).toEqual([]) // nothing is owed any more
    for (const [m, amount] of net) {
      expect(await chain.balanceOf(fx.stable, payees[m]!)).toBe(amount * 10n ** 4n)
      expect(await owed(ledger, m)).toBe(0n)
    }
    expect(await chainPayouts(ledger)).toEqual({ posted: total, pending: 0n })
    const events = await chain.payoutEvents()
    expect(events.length).toBe(1)
    const report = await reconcile(ledger, {
      chain,
      assets: { CNY: { token: fx.stable, decimals: 6 } },
    })
    expect(report.differences).toEqual([])
    await ledger.close()
  },
  120_000,
)

test('two settlement processes at once on one SQLite ledger file: one pays, the other finds nothing', async () => {
  fx.chain.signer.reset()
  const batchPayout = await deploy(fx.chain, 'BatchPayout', [fx.chain.address])
  await (
    await attach(fx.chain, 'TestStablecoin', fx.stable).getFunction('approve')(
      batchPayout,
      MaxUint256,
    )
  ).wait(1, 30_000)
  const payees = { pa: addressOf(150), pb: addressOf(151) }
  const path = join(dir, 'concurrent.db')
  const store = openSqliteLedger(path)
  const net = await capturePayments(store, [
    { merchant: 'pa', amount: 40_000n },
    { merchant: 'pb', amount: 60_000n },
  ])
  await store.close()
  const args = [
    path,
    anvil().rpcUrl,
    anvil().privateKeys[0]!,
    fx.stable,
    batchPayout,
    JSON.stringify(payees),
  ]
  const [a, b] = await Promise.all([runChildUntil(undefined, args), runChildUntil(undefined, args)])
  expect([a.code, b.code], a.out + b.out).toEqual([0, 0])
  const finished = [a, b].map(
    (c) => JSON.parse(c.out.trim().split('\n').at(-1)!).finished as string[],
  )
  expect(finished.map((f) => f.length).sort()).toEqual([0, 1])
  expect(finished.flat()).toEqual(['posted'])
  fx.chain.signer.reset()
  const ledger = openSqliteLedger(path)
  const chain = createEvmSettlementChain({ ...fx.chain, batchPayout })
  for (const [m, amount] of net) {
    expect(await chain.balanceOf(fx.stable, payees[m as 'pa' | 'pb'])).toBe(amount * 10n ** 4n)
    expect(await owed(ledger, m)).toBe(0n)
  }
  expect((await chain.payoutEvents()).length).toBe(1)
  await ledger.close()
}, 120_000)

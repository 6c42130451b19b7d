import { useAnvil } from '@btt/testing'
import { MaxUint256 } from 'ethers'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { attach, createEvmSettlementChain, deploy } from '../../src/evm/index.js'
import {
  createSettlement,
  openSqliteLedger,
  reconcile,
  type SettlementOptions,
} from '../../src/index.js'
import { type EvmFixture, evmFixture, rpc, startMiner } from './evmSetup.js'
import { addressOf, capturePayments, chainPayouts, owed } from './helpers.js'

const anvil = useAnvil()
let fx: EvmFixture
let stopMiner: (() => void) | undefined
beforeAll(async () => {
  fx = await evmFixture(anvil().rpcUrl, anvil().privateKeys[0]!)
}, 120_000)
afterAll(() => {
  stopMiner?.()
  fx?.chain.provider.destroy()
})

let seq = 0
/** A fresh payout contract and ledger, two merchants with captured payments. */
async function setup(options: Partial<SettlementOptions> = {}) {
  fx.chain.signer.reset() // after a revert or a drop, the node's nonce is the truth
  const n = seq++
  const batchPayout = await deploy(fx.chain, 'BatchPayout', [fx.chain.address])
  await (
    await attach(fx.chain, 'TestStablecoin', fx.stable).getFunction('approve')(
      batchPayout,
      MaxUint256,
    )
  ).wait(1, 30_000)
  const store = openSqliteLedger(':memory:')
  const payees = { [`a${n}`]: addressOf(200 + 2 * n), [`b${n}`]: addressOf(201 + 2 * n) }
  const net = await capturePayments(store, [
    { merchant: `a${n}`, amount: 50_000n },
    { merchant: `b${n}`, amount: 12_345n },
  ])
  // logs read 3 blocks per eth_getLogs call: paging is exercised on every read
  const chain = createEvmSettlementChain({ ...fx.chain, batchPayout, logsBlockRange: 3 })
  const assets = { CNY: { token: fx.stable, decimals: 6 } }
  const make = (extra: Partial<SettlementOptions> = {}) =>
    createSettlement(store, {
      chain,
      assets,
      payees,
      confirmations: 2,
      pollMs: 50,
      ...options,
      ...extra,
    })
  return { store, chain, assets, payees, net, make }
}

async function expectPaidOnce(s: Awaited<ReturnType<typeof setup>>) {
  for (const [m, amount] of s.net) {
    expect(await s.chain.balanceOf(fx.stable, s.payees[m]!)).toBe(amount * 10n ** 4n)
    expect(await owed(s.store, m)).toBe(0n)
  }
  const total = [...s.net.values()].reduce((a, b) => a + b, 0n)
  expect(await chainPayouts(s.store)).toEqual({ posted: total, pending: 0n })
  const events = await s.chain.payoutEvents()
  expect(events.length).toBe(1)
  // the operator funded the batch with exactly its total, and each payee got its part
  expect(events[0]!.funded).toBe(events[0]!.total)
  expect(events[0]!.transfers.length).toBe(s.net.size)
  expect((await reconcile(s.store, { chain: s.chain, assets: s.assets })).differences).toEqual([])
}

test('a reorg (evm_snapshot/evm_revert) after the payout was mined at depth 1 of 2: sent again, paid once, posted once', async () => {
  const url = anvil().rpcUrl
  const s = await setup()
  const snapshot = await rpc(url, 'evm_snapshot')
  let reverted = false
  const settlement = s.make({
    onStep: async (step) => {
      if (step === 'mined' && !reverted) {
        reverted = true
        // the block with the payout is the latest (depth 1 < 2 confirmations): take it away
        expect(await rpc(url, 'evm_revert', [snapshot])).toBe(true)
        stopMiner = startMiner(url)
      }
      if (step === 'posted') expect(reverted).toBe(true)
    },
  })
  const run = await settlement.run()
  stopMiner?.()
  expect(reverted).toBe(true)
  expect(run.batches).toMatchObject([{ status: 'posted', payouts: 2 }])
  // the reverted transaction is gone from the node: the batch was sent a second time
  expect(run.batches[0]!.sends).toBe(2)
  await expectPaidOnce(s)
}, 120_000)

test('a reorg by anvil_reorg (the payout block replaced by an empty one) at depth 1 of 2: sent again, paid once', async () => {
  const url = anvil().rpcUrl
  const s = await setup()
  let reorged = false
  const settlement = s.make({
    onStep: async (step) => {
      if (step === 'mined' && !reorged) {
        reorged = true
        await rpc(url, 'anvil_reorg', [1, []])
        stopMiner = startMiner(url)
      }
    },
  })
  const run = await settlement.run()
  stopMiner?.()
  expect(reorged).toBe(true)
  expect(run.batches).toMatchObject([{ status: 'posted', payouts: 2 }])
  expect(run.batches[0]!.sends).toBe(2) // the replaced block's transaction is gone
  await expectPaidOnce(s)
}, 120_000)

test('a transaction dropped from the pool (mining off, anvil_dropTransaction) is sent again; paid once', async () => {
  const url = anvil().rpcUrl
  const s = await setup()
  let dropped = false
  await rpc(url, 'evm_setAutomine', [false])
  const settlement = s.make({
    onStep: async (step, _batch, { transactionHash }) => {
      if (step === 'sent' && !dropped) {
        dropped = true
        await rpc(url, 'anvil_dropTransaction', [transactionHash])
        expect(await fx.chain.provider.getTransaction(transactionHash!)).toBeNull()
        await rpc(url, 'evm_setAutomine', [true])
        stopMiner = startMiner(url)
      }
    },
  })
  const run = await settlement.run().finally(() => rpc(url, 'evm_setAutomine', [true]))
  stopMiner?.()
  expect(dropped).toBe(true)
  expect(run.batches).toMatchObject([{ status: 'posted', sends: 2 }])
  await expectPaidOnce(s)
}, 120_000)

test('two runs at once on one ledger: one pays, the other finds nothing to do', async () => {
  stopMiner = startMiner(anvil().rpcUrl)
  const s = await setup()
  const [r1, r2] = await Promise.all([s.make().run(), s.make().run()])
  stopMiner()
  expect([r1.batches.length, r2.batches.length].sort()).toEqual([0, 1])
  await expectPaidOnce(s)
}, 120_000)

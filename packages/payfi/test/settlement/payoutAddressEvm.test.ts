import { useAnvil } from '@btt/testing'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createEvmSettlementChain } from '../../src/evm/index.js'
import { createSettlement, openSqliteLedger, reconcile } from '../../src/index.js'
import { type EvmFixture, evmFixture, rpc, startMiner } from './evmSetup.js'
import { addressOf, capturePayments, chainPayouts } from './helpers.js'

const anvil = useAnvil()
let fx: EvmFixture
beforeAll(async () => {
  fx = await evmFixture(anvil().rpcUrl, anvil().privateKeys[0]!)
}, 120_000)
afterAll(() => fx?.chain.provider.destroy())

test('on anvil: the registry changes while a sent batch is in flight and its transaction is dropped; recover() re-sends to the planned address, once', async () => {
  const url = anvil().rpcUrl
  const store = openSqliteLedger(':memory:')
  const net = await capturePayments(store, [{ merchant: 'clinic_a', amount: 30_000n }])
  const chain = createEvmSettlementChain({ ...fx.chain, batchPayout: fx.batchPayout })
  const assets = { CNY: { token: fx.stable, decimals: 6 } }
  const planned = addressOf(301)
  const moved = addressOf(302)
  const base = { chain, assets, pollMs: 50 }
  // mining off: the payout waits in the pool; the process stops after sending it, then the node
  // drops it, so recover() must send the batch again
  fx.chain.signer.reset()
  await rpc(url, 'evm_setAutomine', [false])
  let sent: string | null = null
  try {
    await expect(
      createSettlement(store, {
        ...base,
        payees: { clinic_a: planned },
        onStep: (step, _batch, { transactionHash }) => {
          if (step !== 'sent') return
          sent = transactionHash
          throw new Error('stopped after sent')
        },
      }).run(),
    ).rejects.toThrow('stopped after sent')
    await rpc(url, 'anvil_dropTransaction', [sent])
    expect(await fx.chain.provider.getTransaction(sent!)).toBeNull()
  } finally {
    await rpc(url, 'evm_setAutomine', [true])
  }
  fx.chain.signer.reset()
  const stopMiner = startMiner(url)
  try {
    const after = createSettlement(store, { ...base, payees: { clinic_a: moved } })
    expect(await after.recover()).toMatchObject([{ status: 'posted', sends: 1 }])
  } finally {
    stopMiner()
  }
  expect(await chain.balanceOf(fx.stable, planned)).toBe(net.get('clinic_a')! * 10n ** 4n)
  expect(await chain.balanceOf(fx.stable, moved)).toBe(0n)
  expect(await chain.payoutEvents()).toHaveLength(1)
  expect(await chainPayouts(store)).toEqual({ posted: net.get('clinic_a'), pending: 0n })
  expect((await reconcile(store, { chain, assets })).differences).toEqual([])
  await store.close()
}, 120_000)

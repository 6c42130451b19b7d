import { useAnvil } from '@btt/testing'
import { Wallet } from 'ethers'
import { beforeAll, expect, test } from 'vitest'
import {
  attach,
  type ChainConnection,
  connectChain,
  deploy,
  isBatchPaid,
  payoutBatch,
} from '../../src/evm/index.js'

const anvil = useAnvil()
let chain: ChainConnection
let stable: string
let batchPayout: string

beforeAll(async () => {
  chain = await connectChain({ rpcUrl: anvil().rpcUrl, privateKey: anvil().privateKeys[0]! })
  stable = await deploy(chain, 'TestStablecoin', ['Test CNY', 'tCNY', 2, chain.address])
  batchPayout = await deploy(chain, 'BatchPayout', [chain.address])
  await (
    await attach(chain, 'TestStablecoin', stable).getFunction('mint')(chain.address, 10n ** 12n)
  ).wait()
}, 120_000)

test('one transaction pays every recipient exactly; the same batch id is never paid twice', async () => {
  const payouts = Array.from({ length: 40 }, (_, i) => ({
    to: Wallet.createRandom().address,
    amount: BigInt(1000 + i * 37),
  }))
  const token = attach(chain, 'TestStablecoin', stable)
  const before = (await token.getFunction('balanceOf')(chain.address)) as bigint
  expect(await isBatchPaid(chain, { batchPayout, batchId: 'run-1' })).toBe(false)
  const paid = await payoutBatch(chain, { batchPayout, token: stable, batchId: 'run-1', payouts })
  expect(paid.blockNumber).toBeGreaterThan(0)
  for (const p of payouts) expect(await token.getFunction('balanceOf')(p.to)).toBe(p.amount)
  const total = payouts.reduce((s, p) => s + p.amount, 0n)
  expect(await token.getFunction('balanceOf')(chain.address)).toBe(before - total)
  expect(await isBatchPaid(chain, { batchPayout, batchId: 'run-1' })).toBe(true)
  // a retry after an unknown outcome: refused by the chain, nobody paid twice
  await expect(
    payoutBatch(chain, { batchPayout, token: stable, batchId: 'run-1', payouts }),
  ).rejects.toMatchObject({ code: 'PAYFI_CHAIN_REVERTED' })
  for (const p of payouts.slice(0, 3))
    expect(await token.getFunction('balanceOf')(p.to)).toBe(p.amount)
})

test('bad batches are refused before anything is sent', async () => {
  const good = {
    batchPayout,
    token: stable,
    batchId: 'x',
    payouts: [{ to: chain.address, amount: 1n }],
  }
  for (const bad of [
    { ...good, payouts: [] },
    { ...good, payouts: [{ to: chain.address, amount: 0n }] },
    { ...good, payouts: [{ to: chain.address, amount: -5n }] },
    { ...good, payouts: [{ to: '0x1234', amount: 1n }] },
    { ...good, batchId: '' },
    { ...good, token: 'not-an-address' },
  ])
    await expect(payoutBatch(chain, bad as never)).rejects.toMatchObject({
      code: 'PAYFI_INVALID_ARGUMENT',
    })
  expect(await isBatchPaid(chain, { batchPayout, batchId: 'x' })).toBe(false)
})

test('an unreachable node is a coded error, not a hang', async () => {
  await expect(
    connectChain({
      rpcUrl: 'http://127.0.0.1:9',
      privateKey: anvil().privateKeys[0]!,
      timeoutSeconds: 2,
    }),
  ).rejects.toMatchObject({ code: 'PAYFI_CHAIN_UNAVAILABLE' })
})

test('a transaction refused before broadcast leaves no nonce gap (the next one is mined, not stranded)', async () => {
  const payout = attach(chain, 'BatchPayout', batchPayout)
  // a batch larger than the signer's balance reverts in gas estimation, before a nonce is used
  // (ethers' NonceManager counted the nonce anyway: every later transaction hung)
  await expect(
    payout.getFunction('payout')(
      `0x${'00'.repeat(32)}`,
      stable,
      [chain.address],
      [10n ** 30n], // more than the signer holds
    ),
  ).rejects.toThrow()
  const token = attach(chain, 'TestStablecoin', stable)
  const receipt = await (
    await token.getFunction('transfer')(Wallet.createRandom().address, 1n)
  ).wait(1, 10_000)
  expect(receipt?.status).toBe(1)
})

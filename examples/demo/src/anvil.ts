import {
  createSettlement,
  type EpochStatement,
  type Ledger,
  reconcile,
  settleEpoch,
} from '@btt/payfi'
import { attach, connectChain, createEvmSettlementChain, deploy, deployBtt } from '@btt/payfi/evm'
import { anvilBinary, startAnvil } from '@btt/testing'
import { MaxUint256 } from 'ethers'

/** The anvil binary that `@foundry-rs/anvil` brings, or undefined when it is not installed. */
export function findAnvil(): string | undefined {
  try {
    return anvilBinary()
  } catch {
    return undefined
  }
}

/** One JSON-RPC call, with a timeout over the whole exchange. */
async function mine(url: string): Promise<void> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_mine', params: [] }),
    signal: AbortSignal.timeout(5_000),
  })
  await r.body?.cancel()
}

/**
 * Step 7b on a local EVM node: anvil on a random loopback port, the BTT token (its fixed supply
 * minted per @btt/core's allocation; the mining pool's share to the operator here) with its
 * BatchPayout contract, and a 6-decimal test CNY stablecoin; the statement's payout is settled
 * through PayFi's EVM settlement chain (1 confirmation, a block mined every 200 ms), then each
 * node's balances are read from the chain. anvil is stopped before this returns.
 */
export async function settleOnAnvil(ledger: Ledger, payout: EpochStatement) {
  const anvil = await startAnvil()
  const miner = setInterval(() => void mine(anvil.rpcUrl).catch(() => undefined), 200)
  const operator = await connectChain({
    rpcUrl: anvil.rpcUrl,
    privateKey: anvil.privateKeys[0]!,
    timeoutSeconds: 10,
  })
  try {
    const btt = await deployBtt(operator)
    const cny = await deploy(operator, 'TestStablecoin', ['Test CNY', 'tCNY', 6, operator.address])
    const stable = attach(operator, 'TestStablecoin', cny)
    const mint = BigInt(payout.totals.revenueShare) * 10n ** 4n
    if (mint > 0n) await (await stable.getFunction('mint')(operator.address, mint)).wait(1, 30_000)
    for (const token of [cny, btt.token])
      await (
        await attach(operator, 'TestStablecoin', token).getFunction('approve')(
          btt.batchPayout,
          MaxUint256,
        )
      ).wait(1, 30_000)
    const chain = createEvmSettlementChain({ ...operator, batchPayout: btt.batchPayout })
    const settlement = createSettlement(ledger, {
      chain,
      assets: { CNY: { token: cny, decimals: 6 }, BTT: { token: btt.token, decimals: 18 } },
      payees: {},
      confirmations: 1,
      pollMs: 50,
    })
    const batches = await settleEpoch(ledger, settlement, payout)
    const onChain = await Promise.all(
      payout.nodes.map(async (n) => ({
        address: n.address,
        cny: await chain.balanceOf(cny, n.address),
        btt: await chain.balanceOf(btt.token, n.address),
      })),
    )
    const { differences } = await reconcile(ledger, { chain, assets: settlement.assets })
    return {
      differences,
      label: `local anvil chain (EVM node, chain id ${anvil.chainId}; test CNY stablecoin, no real funds)`,
      batches,
      onChain,
      tokens: { CNY: cny, BTT: btt.token, batchPayout: btt.batchPayout },
    }
  } finally {
    clearInterval(miner)
    operator.provider.destroy()
    await anvil.stop()
  }
}

import { attach, type ChainConnection, deploy } from '@btt/payfi/evm'
import { MaxUint256 } from 'ethers'

/** One JSON-RPC call, with a timeout over the whole exchange. */
async function rpc(url: string, method: string): Promise<void> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
    signal: AbortSignal.timeout(10_000),
  })
  await r.body?.cancel()
}

/**
 * anvil mines a block per transaction only; a payout needs blocks on top of it for its
 * confirmations, so this mines one every `ms` until stopped (a real chain does this by itself).
 */
export function startMiner(rpcUrl: string, ms = 200): () => void {
  const timer = setInterval(() => void rpc(rpcUrl, 'evm_mine').catch(() => undefined), ms)
  return () => clearInterval(timer)
}

/**
 * Deploys what settlement needs on a test chain: a CNY stablecoin for tests (6 decimals, so a
 * fen is 10^4 base units; never deployed on a real network) minted to the operator, and the
 * BatchPayout contract, approved to move the operator's stablecoin.
 */
export async function deploySettlementContracts(
  operator: ChainConnection,
  mint: bigint,
): Promise<{ stablecoin: string; batchPayout: string; decimals: number }> {
  const decimals = 6
  const stablecoin = await deploy(operator, 'TestStablecoin', [
    'Test CNY',
    'tCNY',
    decimals,
    operator.address,
  ])
  const batchPayout = await deploy(operator, 'BatchPayout', [operator.address])
  const token = attach(operator, 'TestStablecoin', stablecoin)
  await (await token.getFunction('mint')(operator.address, mint)).wait(1, 30_000)
  await (await token.getFunction('approve')(batchPayout, MaxUint256)).wait(1, 30_000)
  return { stablecoin, batchPayout, decimals }
}

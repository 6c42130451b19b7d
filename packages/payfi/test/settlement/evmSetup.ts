import { MaxUint256 } from 'ethers'
import { attach, type ChainConnection, connectChain, deploy } from '../../src/evm/index.js'

/** One JSON-RPC call to anvil, with a timeout over the whole exchange. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(10_000),
  })
  const body = (await r.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

/** Mines a block every `ms` until stopped (confirmations need blocks on top). */
export function startMiner(url: string, ms = 200): () => void {
  const timer = setInterval(() => void rpc(url, 'evm_mine').catch(() => undefined), ms)
  return () => clearInterval(timer)
}

export type EvmFixture = {
  chain: ChainConnection
  /** A CNY stablecoin with 6 decimals (CNY fen × 10^4). */
  stable: string
  batchPayout: string
}

/** Connects as the operator, deploys a 6-decimal test stablecoin and a BatchPayout, funds and approves. */
export async function evmFixture(rpcUrl: string, privateKey: string): Promise<EvmFixture> {
  const chain = await connectChain({ rpcUrl, privateKey, timeoutSeconds: 10 })
  const stable = await deploy(chain, 'TestStablecoin', ['Test CNY', 'tCNY', 6, chain.address])
  const batchPayout = await deploy(chain, 'BatchPayout', [chain.address])
  const token = attach(chain, 'TestStablecoin', stable)
  await (await token.getFunction('mint')(chain.address, 10n ** 24n)).wait(1, 30_000)
  await (await token.getFunction('approve')(batchPayout, MaxUint256)).wait(1, 30_000)
  return { chain, stable, batchPayout }
}

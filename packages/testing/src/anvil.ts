import assert from 'node:assert'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { freePort } from './orthanc.js'
import { spawnWatched, waitUntil } from './watchdog.js'

export type AnvilChain = {
  rpcUrl: string
  chainId: number
  /** anvil's ten funded development accounts (its default mnemonic), private keys first to last. */
  privateKeys: readonly string[]
  stop(): Promise<void>
}

// anvil's default mnemonic ("test test … junk"): well known, funded with 10,000 ETH each, test only.
const DEV_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
]

/** The anvil binary that npm `@foundry-rs/anvil` brings for this platform. */
export function anvilBinary(): string {
  const require = createRequire(import.meta.url)
  const main = dirname(require.resolve('@foundry-rs/anvil/package.json'))
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const platform = createRequire(join(main, 'package.json'))
  return join(
    dirname(platform.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`)),
    'bin',
    'anvil',
  )
}

/**
 * Starts anvil (from npm, no download) on a random loopback port; `stop()` ends it. Blocks are
 * mined on each transaction unless `blockTime` is given.
 */
export async function startAnvil(
  options: { chainId?: number; blockTime?: number } = {},
): Promise<AnvilChain> {
  const port = await freePort()
  const chainId = options.chainId ?? 31337
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(chainId),
    '--silent',
  ]
  if (options.blockTime) args.push('--block-time', String(options.blockTime))
  const watched = spawnWatched(anvilBinary(), args, { name: 'anvil' })
  const rpcUrl = `http://127.0.0.1:${port}`
  await waitUntil('anvil', watched, async () => {
    const r = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1000),
    })
    return r.ok
  })
  return { rpcUrl, chainId, privateKeys: DEV_KEYS, stop: watched.stop }
}

/** Starts anvil before the tests of the calling file and stops it after them. */
export function useAnvil(options: { chainId?: number; blockTime?: number } = {}): () => AnvilChain {
  let chain: AnvilChain | undefined
  beforeAll(async () => {
    chain = await startAnvil(options)
  }, 60_000)
  afterAll(async () => {
    await chain?.stop()
  })
  return () => {
    if (!chain) assert.fail('anvil is not running')
    return chain
  }
}

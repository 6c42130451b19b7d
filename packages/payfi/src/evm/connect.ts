import { JsonRpcProvider, Wallet } from 'ethers'
import { z } from 'zod'
import { PayfiError } from '../errors.js'
import { rpcRequest, unreachable } from './rpcRequest.js'
import { SerialSigner } from './serialSigner.js'

export type ConnectParameters = {
  /** JSON-RPC endpoint, http(s). */
  rpcUrl: string
  /** 0x-prefixed 32-byte hex private key. */
  privateKey: string
  /** Seconds one RPC exchange may take, connect to last byte (default 30). */
  timeoutSeconds?: number
}

export type ChainConnection = {
  provider: JsonRpcProvider
  /** The one nonce manager for this key: every transaction the library sends goes through it. */
  signer: SerialSigner
  /** Seconds to wait for a transaction to be mined (default 120). */
  waitSeconds: number
  address: string
  chainId: bigint
}

const schema = z.strictObject({
  rpcUrl: z.url({ protocol: /^https?$/ }),
  privateKey: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 0x-prefixed 32-byte hex key'),
  timeoutSeconds: z.number().positive().max(3600).optional(),
})

/**
 * Connects to an EVM node with a key: a provider whose every request has a timeout over the whole
 * exchange, and one `NonceManager` owned by the library so back-to-back transactions never reuse
 * a nonce.
 *
 * @throws {PayfiError} `PAYFI_INVALID_ARGUMENT`, `PAYFI_CHAIN_UNAVAILABLE`, `PAYFI_CHAIN_TIMEOUT`.
 */
export async function connectChain(parameters: ConnectParameters): Promise<ChainConnection> {
  const parsed = schema.safeParse(parameters)
  if (!parsed.success)
    throw new PayfiError('PAYFI_INVALID_ARGUMENT', 'Invalid chain connection parameters.', {
      details: {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    })
  const { rpcUrl, privateKey, timeoutSeconds = 30 } = parsed.data
  const provider = new JsonRpcProvider(rpcRequest(rpcUrl, timeoutSeconds * 1000), undefined, {
    cacheTimeout: -1,
    staticNetwork: true,
  })
  let chainId: bigint
  try {
    chainId = (await provider.getNetwork()).chainId
  } catch (error) {
    provider.destroy()
    throw unreachable(rpcUrl, error)
  }
  const wallet = new Wallet(privateKey, provider)
  return {
    provider,
    signer: new SerialSigner(wallet),
    address: wallet.address,
    chainId,
    waitSeconds: 120,
  }
}

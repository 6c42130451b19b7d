import { JsonRpcProvider } from 'ethers'
import { z } from 'zod'
import { parsePayfi } from '../errors.js'
import { rpcRequest, unreachable } from './rpcRequest.js'

export type ConnectReadOnlyParameters = {
  rpcUrl: string
  /** Seconds one RPC exchange may take, connect to last byte (default 30). */
  timeoutSeconds?: number
}

/**
 * A provider without a key, for reading (reconciliation): every request has a timeout over the
 * whole exchange; the node is asked for its chain id once, so an unreachable node fails here.
 *
 * @throws {PayfiError} `PAYFI_INVALID_ARGUMENT`, `PAYFI_CHAIN_UNAVAILABLE`, `PAYFI_CHAIN_TIMEOUT`.
 */
export async function connectReadOnly(
  parameters: ConnectReadOnlyParameters,
): Promise<{ provider: JsonRpcProvider; chainId: bigint }> {
  const p = parsePayfi(
    z.strictObject({
      rpcUrl: z.url({ protocol: /^https?$/ }),
      timeoutSeconds: z.number().positive().max(3600).optional(),
    }),
    parameters,
    'chain connection',
  )
  const provider = new JsonRpcProvider(
    rpcRequest(p.rpcUrl, (p.timeoutSeconds ?? 30) * 1000),
    undefined,
    {
      cacheTimeout: -1,
      staticNetwork: true,
    },
  )
  try {
    return { provider, chainId: (await provider.getNetwork()).chainId }
  } catch (error) {
    provider.destroy()
    throw unreachable(p.rpcUrl, error)
  }
}

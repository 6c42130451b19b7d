import type { Wallet } from 'ethers'
import { exchange } from '../network/http.js'
import { type Capabilities, registrationMessage } from '../network/schemas.js'

/**
 * Registers a node: asks the coordinator for a challenge, signs it (EIP-191) with the node's
 * address, URL and capabilities, and sends the registration.
 *
 * @throws {ComputeError} `COMPUTE_NETWORK_UNAVAILABLE`, `COMPUTE_NETWORK_TIMEOUT`.
 */
export async function registerNode(r: {
  coordinator: string
  wallet: Wallet
  url: string
  capabilities: Capabilities
}): Promise<void> {
  const base = r.coordinator.replace(/\/+$/, '')
  const json = { 'content-type': 'application/json' }
  const { body } = await exchange(`${base}/v1/nodes/challenge`, {
    method: 'POST',
    headers: json,
    body: '{}',
    timeoutMs: 10_000,
  })
  const { challenge } = JSON.parse(body.toString('utf8')) as { challenge: string }
  const unsigned = {
    address: r.wallet.address,
    url: r.url,
    capabilities: r.capabilities,
    challenge,
  }
  const signature = await r.wallet.signMessage(registrationMessage(unsigned))
  await exchange(`${base}/v1/nodes/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ ...unsigned, signature }),
    timeoutMs: 10_000,
  })
}

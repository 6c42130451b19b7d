import { ONE_TOKEN } from '@btt/core'
import { openSqliteLedger } from '@btt/payfi'
import { type ChainConnection, connectChain } from '@btt/payfi/evm'
import type { AnvilChain } from '@btt/testing'
import {
  approve,
  deploySettlementToken,
  deployTokenization,
  type Tokenization,
  type TokenizeDeployment,
} from '../src/index.js'

export type Party = Tokenization & { address: string }

export type Fixture = {
  agent: Party
  clinic: Party
  alice: Party
  bob: Party
  carol: Party
  deployment: TokenizeDeployment
  ledger: ReturnType<typeof openSqliteLedger>
  close(): Promise<void>
}

/** anvil's time moved forward by `seconds`, and a block mined at that time. */
export async function advance(chain: ChainConnection, seconds: number): Promise<void> {
  await chain.provider.send('evm_increaseTime', [seconds])
  await chain.provider.send('evm_mine', [])
}

/** Transactions sent by an address so far (a refusal before sending leaves it unchanged). */
export function nonce(chain: ChainConnection, address: string): Promise<number> {
  return chain.provider.getTransactionCount(address, 'latest')
}

/**
 * Deploys tokenization with a burnable settlement token (BTT, 18 decimals) and connects five
 * parties: the agent (deployer, registrar, fee recipient), a clinic, two investors and one
 * never verified; each holds 1,000,000 settlement tokens.
 */
export async function fixture(anvil: AnvilChain): Promise<Fixture> {
  const keys = anvil.privateKeys
  const chains = await Promise.all(
    keys.map((privateKey) =>
      connectChain({ rpcUrl: anvil.rpcUrl, privateKey, timeoutSeconds: 15 }),
    ),
  )
  const [a, c, al, b, ca] = chains as [
    ChainConnection,
    ChainConnection,
    ChainConnection,
    ChainConnection,
    ChainConnection,
  ]
  const mint = Object.fromEntries(chains.map((ch) => [ch.address, 1_000_000n * ONE_TOKEN]))
  const currency = await deploySettlementToken(a, { mint })
  const deployment = await deployTokenization(a, { currency, currencyCode: 'BTT' })
  const ledger = openSqliteLedger(':memory:')
  const party = (chain: ChainConnection): Party => ({
    chain,
    deployment,
    ledger,
    address: chain.address,
  })
  const parties = [a, c, al, b, ca].map(party)
  for (const p of parties) {
    await approve(p, { token: currency, amount: 10n ** 30n })
    await approve(p, { token: currency, amount: 10n ** 30n, spender: 'distributor' })
  }
  return {
    agent: parties[0]!,
    clinic: parties[1]!,
    alice: parties[2]!,
    bob: parties[3]!,
    carol: parties[4]!,
    deployment,
    ledger,
    async close() {
      await ledger.close()
      for (const ch of chains) ch.provider.destroy()
    },
  }
}

import type { Currency } from '@btt/payfi'
import { type ChainConnection, deployArtifact } from '@btt/payfi/evm'
import { z } from 'zod'
import { tokenizeArtifact } from './artifacts.js'
import { contract, send, tokenizeChainError } from './chain.js'
import { type TokenizeDeployment, zAddress } from './context.js'
import { parseTokenize } from './errors.js'

export type DeployTokenizationParameters = {
  /** The settlement currency, an ERC-20 with `burn(uint256)`. */
  currency: string
  /** Its ledger code; default 'BTT'. */
  currencyCode?: Currency
  /** Who receives trading fees; default: the deployer. */
  feeRecipient?: string
}

const schema = z.strictObject({
  currency: zAddress,
  currencyCode: z.enum(['CNY', 'USD', 'HKD', 'BTT', 'POINTS']).optional(),
  feeRecipient: zAddress.optional(),
})

/**
 * Deploys the shared contracts of tokenization: the identity registry, the asset registry, the
 * secondary market (settling in `currency`) and the income distributor. The deployer is admin,
 * agent and registrar. Asset tokens are deployed per asset by {@link tokenizeAsset}.
 *
 * @param chain - the deployer's connection (`connectChain` from '@btt/payfi/evm').
 * @param parameters - `{ currency, currencyCode?, feeRecipient? }`.
 * @returns the deployment's addresses.
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 * @example
 * ```ts
 * import { connectChain } from '@btt/payfi/evm'
 * import { deploySettlementToken, deployTokenization } from '@btt/tokenize'
 * const chain = await connectChain({ rpcUrl, privateKey })
 * const currency = await deploySettlementToken(chain) // tests and demos; a real BTT token otherwise
 * const deployment = await deployTokenization(chain, { currency })
 * ```
 */
export async function deployTokenization(
  chain: ChainConnection,
  parameters: DeployTokenizationParameters,
): Promise<TokenizeDeployment> {
  const p = parseTokenize(schema, parameters, 'tokenization deployment')
  const me = chain.address
  const feeRecipient = p.feeRecipient ?? me
  const deploy = async (name: Parameters<typeof tokenizeArtifact>[0], args: unknown[]) => {
    try {
      return await deployArtifact(chain, tokenizeArtifact(name), args, name)
    } catch (error) {
      throw tokenizeChainError(error, `deploying ${name}`)
    }
  }
  const identityRegistry = await deploy('IdentityRegistry', [me, me])
  const assetRegistry = await deploy('AssetRegistry', [me, me])
  const market = await deploy('SecondaryMarket', [p.currency, feeRecipient, me])
  const distributor = await deploy('IncomeDistributor', [])
  return {
    chainId: chain.chainId.toString(),
    deployer: me,
    identityRegistry,
    assetRegistry,
    market,
    distributor,
    currency: p.currency,
    currencyCode: p.currencyCode ?? 'BTT',
    feeRecipient,
  }
}

/**
 * Deploys a burnable settlement token owned by the deployer (tests and demos only: the owner
 * mints) and mints `mint` to each address given.
 *
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function deploySettlementToken(
  chain: ChainConnection,
  parameters: { name?: string; symbol?: string; mint?: Record<string, bigint> } = {},
): Promise<string> {
  const p = parseTokenize(
    z.strictObject({
      name: z.string().min(1).max(64).optional(),
      symbol: z.string().min(1).max(16).optional(),
      mint: z.record(zAddress, z.bigint().positive()).optional(),
    }),
    parameters,
    'settlement token',
  )
  try {
    const address = await deployArtifact(
      chain,
      tokenizeArtifact('SettlementToken'),
      [p.name ?? 'BTT settlement (test)', p.symbol ?? 'tBTT', chain.address],
      'SettlementToken',
    )
    const token = contract(chain, 'SettlementToken', address)
    for (const [to, amount] of Object.entries(p.mint ?? {}))
      await send(chain, 'minting settlement tokens', () => token.getFunction('mint')(to, amount))
    return address
  } catch (error) {
    throw tokenizeChainError(error, 'deploying the settlement token')
  }
}

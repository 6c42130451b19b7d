import { type FeeQuote, mintingFee } from '@btt/core'
import { deployArtifact } from '@btt/payfi/evm'
import { encodeBytes32String } from 'ethers'
import { z } from 'zod'
import { tokenizeArtifact } from './artifacts.js'
import { readAsset } from './asset.js'
import { contract, send, tokenizeChainError } from './chain.js'
import { type Tokenization, zAssetId, zNonNegative, zPositive } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'
import { tokenizeAccounts, withPendingFee } from './ledger.js'
import { messageForTransferRestriction, restrictionCodes } from './restrictions.js'
import { requireRole } from './roles.js'
import { readEligibility } from './transferState.js'

export type TokenizeAssetParameters = {
  assetId: string
  /** Tokens to mint to the owner, base units (18 decimals). */
  supply: bigint
  name: string
  symbol: string
  /** Most tokens one wallet may hold, base units; 0 or omitted: no limit. */
  holdingLimit?: bigint
  /** Only accredited investors may receive it. */
  accreditedOnly?: boolean
}

export type TokenizeAssetReturnType = {
  assetId: string
  token: string
  supply: bigint
  /** The minting fee, in the asset's currency, recorded in the ledger. */
  fee: FeeQuote
  /** Ledger id of the fee entry. */
  feeEntry: string
}

const schema = z.strictObject({
  assetId: zAssetId,
  supply: zPositive,
  name: z.string().min(1).max(64),
  symbol: z.string().regex(/^[A-Z0-9-]{1,16}$/),
  holdingLimit: zNonNegative.optional(),
  accreditedOnly: z.boolean().optional(),
})

/**
 * Tokenizes a registered asset: deploys its permissioned token, then links it in the registry and
 * mints the supply to the owner in one transaction, and charges the minting fee (by its latest valuation and tier) into the
 * ledger. The fee is reserved first and posted only when the token exists and the supply is minted;
 * it is voided if the chain part fails.
 *
 * @param t - the agent's tokenization context.
 * @param parameters - `{ assetId, supply, name, symbol, holdingLimit?, accreditedOnly? }`.
 * @returns the token and the fee.
 * @throws {TokenizeError} `TOKENIZE_ASSET_NOT_FOUND`, `TOKENIZE_ASSET_EXISTS`,
 * `TOKENIZE_TRANSFER_RESTRICTED` (the owner is not verified), `TOKENIZE_NOT_AGENT`,
 * `TOKENIZE_LEDGER_FAILED`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 * @example
 * ```ts
 * import { tokenizeAsset } from '@btt/tokenize'
 * const { token, fee } = await tokenizeAsset(t, { assetId: 'mri-01', supply: 10_000_000n * 10n ** 18n, name: 'MRI 01', symbol: 'MRI01' })
 * fee.bps // 250 for a 10,000,000 CNY, high-complexity, regulated asset
 * ```
 */
export async function tokenizeAsset(
  t: Tokenization,
  parameters: TokenizeAssetParameters,
): Promise<TokenizeAssetReturnType> {
  const p = parseTokenize(schema, parameters, 'tokenization')
  const asset = await readAsset(t, p.assetId)
  if (asset.token)
    throw new TokenizeError('TOKENIZE_ASSET_EXISTS', `Asset ${p.assetId} is tokenized already.`, {
      details: { assetId: p.assetId, token: asset.token },
    })
  if (p.holdingLimit && p.holdingLimit < p.supply)
    throw new TokenizeError(
      'TOKENIZE_TRANSFER_RESTRICTED',
      `The supply is above the holding limit: the owner could not receive it. ${messageForTransferRestriction(restrictionCodes.HOLDING_LIMIT)}`,
      {
        details: {
          code: restrictionCodes.HOLDING_LIMIT,
          message: messageForTransferRestriction(restrictionCodes.HOLDING_LIMIT),
          onChain: false,
        },
      },
    )
  await requireRole(t, 'AssetRegistry', t.deployment.assetRegistry, 'REGISTRAR_ROLE')
  const owner = await readEligibility(t, asset.owner)
  if (!owner.verified) {
    const code = restrictionCodes.RECIPIENT_NOT_VERIFIED
    throw new TokenizeError(
      'TOKENIZE_TRANSFER_RESTRICTED',
      `Cannot mint to the owner ${asset.owner}: ${messageForTransferRestriction(code)}`,
      {
        details: { code, message: messageForTransferRestriction(code), onChain: false },
      },
    )
  }
  const { complexity, regulatory } = asset.tier
  const fee = mintingFee(asset.valuation.value, { complexity, regulatory }, t.config)
  const feeEntry = `tokenize:mint:${p.assetId}`
  const token = await withPendingFee(
    t.ledger,
    {
      id: feeEntry,
      currency: asset.currency,
      legs: [
        {
          debit: tokenizeAccounts.issuer(asset.owner, asset.currency),
          credit: tokenizeAccounts.fees('minting', asset.currency),
          amount: fee.fee,
        },
      ],
      metadata: { operation: 'tokenize.mint', asset_id: p.assetId },
    },
    `charging the minting fee of ${p.assetId}`,
    () => deployAndMint(t, p),
  )
  return { assetId: p.assetId, token, supply: p.supply, fee, feeEntry }
}

async function deployAndMint(t: Tokenization, p: z.output<typeof schema>): Promise<string> {
  const me = t.chain.address
  let token: string
  try {
    token = await deployArtifact(
      t.chain,
      tokenizeArtifact('AssetToken'),
      [
        p.name,
        p.symbol,
        encodeBytes32String(p.assetId),
        t.deployment.identityRegistry,
        p.holdingLimit ?? 0n,
        p.accreditedOnly ?? false,
        me,
        me,
        t.deployment.assetRegistry,
      ],
      'AssetToken',
    )
  } catch (error) {
    throw tokenizeChainError(error, `deploying the token of ${p.assetId}`)
  }
  // one transaction links the token and mints the supply to the owner: never one without the other
  const registry = contract(t.chain, 'AssetRegistry', t.deployment.assetRegistry)
  await send(t.chain, `linking and minting the token of ${p.assetId}`, () =>
    registry.getFunction('setToken')(encodeBytes32String(p.assetId), token, p.supply),
  )
  return token
}

import type { Currency } from '@btt/payfi'
import { decodeBytes32String, encodeBytes32String } from 'ethers'
import { contract, read } from './chain.js'
import { type Tokenization, zAssetId } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'

/** The kinds of asset a clinic tokenizes, in the registry's order (0..3). */
export const assetTypes = ['equipment', 'property', 'ip', 'service-rights'] as const
export type AssetType = (typeof assetTypes)[number]

/** Complexity and regulatory levels (keys of the minting schedule) and the revaluation class. */
export type AssetTier = { complexity: string; regulatory: string; assetClass: string }

export type Valuation = {
  /** Base units of the asset's currency (CNY: fen). */
  value: bigint
  /** When the appraisal was made, ms since the epoch. */
  date: number
  method: string
  appraiser: string
}

/** An asset as the registry holds it. */
export type RegisteredAsset = {
  id: string
  type: AssetType
  owner: string
  /** The asset's token; null until tokenized. */
  token: string | null
  tier: AssetTier
  currency: Currency
  /** The latest valuation. */
  valuation: Valuation
  valuations: number
}

export function encodeTier(tier: AssetTier): string {
  const text = `${tier.complexity}/${tier.regulatory}/${tier.assetClass}`
  if (
    Buffer.byteLength(text) > 31 ||
    /\//.test(tier.complexity + tier.regulatory + tier.assetClass)
  )
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      `The tier ${text} does not fit one bytes32.`,
      {
        details: { tier: text },
      },
    )
  return encodeBytes32String(text)
}

function decodeTier(raw: string): AssetTier {
  const [complexity = '', regulatory = '', assetClass = ''] = decodeBytes32String(raw).split('/')
  return { complexity, regulatory, assetClass }
}

export function toValuation(v: {
  value: bigint
  date: bigint
  method: string
  appraiser: string
}): Valuation {
  return { value: v.value, date: Number(v.date) * 1000, method: v.method, appraiser: v.appraiser }
}

/**
 * Reads an asset from the registry.
 *
 * @throws {TokenizeError} `TOKENIZE_ASSET_NOT_FOUND`, `TOKENIZE_CHAIN_*`.
 */
export async function readAsset(t: Tokenization, assetId: string): Promise<RegisteredAsset> {
  const id = parseTokenize(zAssetId, assetId, 'asset id')
  const registry = contract(t.chain, 'AssetRegistry', t.deployment.assetRegistry)
  const key = encodeBytes32String(id)
  const [a, count] = await read(`reading asset ${id}`, () =>
    Promise.all([registry.getFunction('asset')(key), registry.getFunction('valuationCount')(key)]),
  )
  if (a.owner === '0x0000000000000000000000000000000000000000')
    throw new TokenizeError('TOKENIZE_ASSET_NOT_FOUND', `No asset ${id} in the registry.`, {
      details: { assetId: id },
    })
  const last = await read(`reading asset ${id}`, () =>
    registry.getFunction('valuation')(key, count - 1n),
  )
  return {
    id,
    type: assetTypes[Number(a.assetType)] ?? 'equipment',
    owner: a.owner,
    token: a.token === '0x0000000000000000000000000000000000000000' ? null : a.token,
    tier: decodeTier(a.tier),
    currency: a.currency as Currency,
    valuation: toValuation(last),
    valuations: Number(count),
  }
}

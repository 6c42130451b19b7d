import { mintingFee } from '@btt/core'
import { assertCurrency } from '@btt/payfi'
import { encodeBytes32String } from 'ethers'
import { z } from 'zod'
import { type AssetTier, assetTypes, encodeTier, readAsset } from './asset.js'
import { contract, read, send } from './chain.js'
import { type Tokenization, zAddress, zAssetId } from './context.js'
import { type AssetDocument, checkDocument, zDocumentName, zSha256 } from './documents.js'
import { parseTokenize, TokenizeError } from './errors.js'
import { checkValuation, valuationSchema } from './valuation.js'

export type RegisterAssetParameters = {
  id: string
  type: (typeof assetTypes)[number]
  owner: string
  /** Ledger currency of its valuations and fees, e.g. 'CNY'. */
  currency: string
  tier: AssetTier
  valuation: { value: bigint; date: number; method: string; appraiser: string }
  documents?: AssetDocument[]
}

const schema = z.strictObject({
  id: zAssetId,
  type: z.enum(assetTypes),
  owner: zAddress,
  currency: z.string(),
  tier: z.strictObject({
    complexity: z.string().min(1).max(16),
    regulatory: z.string().min(1).max(16),
    assetClass: z.string().min(1).max(16),
  }),
  valuation: z.unknown(),
  documents: z
    .array(
      z.strictObject({
        name: zDocumentName,
        uri: z.string().min(1).max(512),
        sha256: zSha256,
        content: z.instanceof(Uint8Array).optional(),
      }),
    )
    .max(32)
    .refine(
      (docs) => new Set(docs.map((d) => d.name)).size === docs.length,
      'document names repeat',
    )
    .optional(),
})

/**
 * Registers an asset in one transaction: its type, owner, tier, first valuation and documents
 * (hashes on chain, ERC-1643 style). Everything is checked before the transaction: the valuation
 * (positive, not in the future, with method and appraiser), each document's bytes against its
 * hash, the tier against the minting schedule, and that the id is free.
 *
 * @param t - the registrar's tokenization context.
 * @param parameters - the asset.
 * @returns the registered asset, read back from the registry.
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_INVALID_VALUATION`,
 * `TOKENIZE_DOCUMENT_MISMATCH`, `TOKENIZE_ASSET_EXISTS`, `TOKENIZE_NOT_AGENT`, `TOKENIZE_CHAIN_*`.
 * @example
 * ```ts
 * import { documentHash, registerAsset } from '@btt/tokenize'
 * await registerAsset(t, {
 *   id: 'mri-01', type: 'equipment', owner: clinic, currency: 'CNY',
 *   tier: { complexity: 'high', regulatory: 'regulated', assetClass: 'complex' },
 *   valuation: { value: 1_000_000_000n, date: Date.now() - 86_400_000, method: 'cost-approach', appraiser: 'A Co.' },
 *   documents: [{ name: 'appraisal', uri: 'ipfs://…', sha256: documentHash(pdf), content: pdf }],
 * })
 * ```
 */
export async function registerAsset(t: Tokenization, parameters: RegisterAssetParameters) {
  const p = parseTokenize(schema, parameters, 'asset')
  const currency = (() => {
    try {
      return assertCurrency(p.currency)
    } catch (cause) {
      throw new TokenizeError('TOKENIZE_INVALID_ARGUMENT', `Unknown currency ${p.currency}.`, {
        cause,
        details: { currency: p.currency },
      })
    }
  })()
  // the block that will include the registration is stamped no earlier than the latest one, and
  // near the wall clock: a valuation dated up to either is not in the future
  const now = Math.max(await chainNow(t), Date.now())
  const valuation = checkValuation(parseTokenize(valuationSchema, p.valuation, 'valuation'), {
    now,
    after: 0,
  })
  for (const doc of p.documents ?? []) checkDocument(doc)
  try {
    mintingFee(
      valuation.value,
      { complexity: p.tier.complexity, regulatory: p.tier.regulatory },
      t.config,
    )
  } catch (cause) {
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      `The tier is not in the minting schedule: ${(cause as Error).message}`,
      {
        cause,
        details: { tier: p.tier },
      },
    )
  }
  const tier = encodeTier(p.tier)
  const exists = await readAsset(t, p.id).catch((e: unknown) => {
    if (e instanceof TokenizeError && e.code === 'TOKENIZE_ASSET_NOT_FOUND') return null
    throw e
  })
  if (exists)
    throw new TokenizeError('TOKENIZE_ASSET_EXISTS', `Asset ${p.id} is registered already.`, {
      details: { assetId: p.id },
    })
  const registry = contract(t.chain, 'AssetRegistry', t.deployment.assetRegistry)
  const documents = (p.documents ?? []).map((d) => ({
    name: encodeBytes32String(d.name),
    uri: d.uri,
    documentHash: d.sha256,
  }))
  // one transaction: the asset, its first valuation and its documents, all or nothing
  await send(t.chain, `registering asset ${p.id}`, () =>
    registry.getFunction('register')(
      encodeBytes32String(p.id),
      {
        assetType: assetTypes.indexOf(p.type),
        owner: p.owner,
        token: '0x0000000000000000000000000000000000000000',
        tier,
        currency,
      },
      { ...valuation, date: BigInt(Math.floor(valuation.date / 1000)) },
      documents,
    ),
  )
  return readAsset(t, p.id)
}

/** The latest block's time, ms: what the contracts compare dates and expiries with. */
export async function chainNow(t: Pick<Tokenization, 'chain'>): Promise<number> {
  const block = await read('reading the latest block', () => t.chain.provider.getBlock('latest'))
  return (block?.timestamp ?? Math.floor(Date.now() / 1000)) * 1000
}

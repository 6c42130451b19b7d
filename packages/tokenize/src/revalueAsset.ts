import { type FeeQuote, revaluationFee } from '@btt/core'
import { encodeBytes32String } from 'ethers'
import { z } from 'zod'
import { readAsset, toValuation, type Valuation } from './asset.js'
import { contract, read, send } from './chain.js'
import { type Tokenization, zAssetId } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'
import { tokenizeAccounts, withPendingFee } from './ledger.js'
import { chainNow } from './registerAsset.js'
import { requireRole } from './roles.js'
import { checkValuation, valuationSchema } from './valuation.js'

/** One entry of an asset's valuation history, with the value per whole token when tokenized. */
export type ValuationRecord = Valuation & {
  index: number
  /** Value of one whole token (10^18 base units) in the asset's currency base units, rounded down; null before tokenization. */
  valuePerToken: bigint | null
}

const ONE = 10n ** 18n

async function supplyOf(t: Tokenization, token: string | null): Promise<bigint | null> {
  if (!token) return null
  const c = contract(t.chain, 'AssetToken', token)
  const supply: bigint = await read('reading the supply', () => c.getFunction('totalSupply')())
  return supply === 0n ? null : supply
}

/**
 * Revalues an asset: appends a valuation (positive, dated no later than now and no earlier than
 * the last) and charges the revaluation fee by its asset class into the ledger (reserved first,
 * posted when the valuation is on chain).
 *
 * @param t - the registrar's context.
 * @param parameters - `{ assetId, valuation: { value, date, method, appraiser } }`.
 * @returns the new history entry and the fee.
 * @throws {TokenizeError} `TOKENIZE_INVALID_VALUATION`, `TOKENIZE_ASSET_NOT_FOUND`,
 * `TOKENIZE_NOT_AGENT`, `TOKENIZE_LEDGER_FAILED`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 * @example
 * ```ts
 * import { revalueAsset } from '@btt/tokenize'
 * const { record, fee } = await revalueAsset(t, {
 *   assetId: 'mri-01',
 *   valuation: { value: 1_040_000_000n, date: Date.now(), method: 'income-approach', appraiser: 'A Co.' },
 * })
 * ```
 */
export async function revalueAsset(
  t: Tokenization,
  parameters: { assetId: string; valuation: Valuation },
): Promise<{ record: ValuationRecord; fee: FeeQuote; feeEntry: string }> {
  const p = parseTokenize(
    z.strictObject({ assetId: zAssetId, valuation: valuationSchema }),
    parameters,
    'revaluation',
  )
  const asset = await readAsset(t, p.assetId)
  const now = Math.max(await chainNow(t), Date.now()) // as registerAsset
  const v = checkValuation(p.valuation, { now, after: asset.valuation.date })
  const fee = (() => {
    try {
      return revaluationFee(v.value, { assetClass: asset.tier.assetClass }, t.config)
    } catch (cause) {
      throw new TokenizeError(
        'TOKENIZE_INVALID_ARGUMENT',
        `No revaluation fee for the asset class ${asset.tier.assetClass}.`,
        {
          cause,
          details: { assetClass: asset.tier.assetClass },
        },
      )
    }
  })()
  await requireRole(t, 'AssetRegistry', t.deployment.assetRegistry, 'REGISTRAR_ROLE')
  const registry = contract(t.chain, 'AssetRegistry', t.deployment.assetRegistry)
  const index = asset.valuations
  const feeEntry = `tokenize:revalue:${p.assetId}:${index}`
  await withPendingFee(
    t.ledger,
    {
      id: feeEntry,
      currency: asset.currency,
      legs: [
        {
          debit: tokenizeAccounts.issuer(asset.owner, asset.currency),
          credit: tokenizeAccounts.fees('revaluation', asset.currency),
          amount: fee.fee,
        },
      ],
      metadata: { operation: 'tokenize.revalue', asset_id: p.assetId },
    },
    `charging the revaluation fee of ${p.assetId}`,
    () =>
      send(t.chain, `revaluing ${p.assetId}`, () =>
        registry.getFunction('revalue')(
          encodeBytes32String(p.assetId),
          {
            ...v,
            date: BigInt(Math.floor(v.date / 1000)),
          },
          index,
        ),
      ),
  )
  const supply = await supplyOf(t, asset.token)
  const record = { ...v, index, valuePerToken: supply ? (v.value * ONE) / supply : null }
  return { record, fee, feeEntry }
}

/**
 * The whole valuation history of an asset, oldest first.
 *
 * @throws {TokenizeError} `TOKENIZE_ASSET_NOT_FOUND`, `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function valuationHistory(
  t: Tokenization,
  parameters: { assetId: string },
): Promise<ValuationRecord[]> {
  const { assetId } = parseTokenize(z.strictObject({ assetId: zAssetId }), parameters, 'asset')
  const asset = await readAsset(t, assetId)
  const supply = await supplyOf(t, asset.token)
  const registry = contract(t.chain, 'AssetRegistry', t.deployment.assetRegistry)
  const key = encodeBytes32String(assetId)
  const raw = await read('reading valuations', () =>
    Promise.all(
      Array.from({ length: asset.valuations }, (_, i) => registry.getFunction('valuation')(key, i)),
    ),
  )
  return raw.map((r, index) => {
    const v = toValuation(r)
    return { ...v, index, valuePerToken: supply ? (v.value * ONE) / supply : null }
  })
}

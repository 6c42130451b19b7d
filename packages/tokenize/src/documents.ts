import { encodeBytes32String, sha256 } from 'ethers'
import { z } from 'zod'
import { contract, read } from './chain.js'
import { type Tokenization, zAssetId } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'

/** A document of an asset: kept off chain at `uri`, its sha-256 on chain (ERC-1643 style). */
export type AssetDocument = {
  /** Short name, at most 31 characters (one bytes32), e.g. 'appraisal-2026'. */
  name: string
  uri: string
  /** 0x-prefixed sha-256 of the document's bytes. */
  sha256: string
  /** The bytes, when at hand: their hash must be `sha256`. */
  content?: Uint8Array | undefined
}

export const zDocumentName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/, 'a name (≤31)')
export const zSha256 = z.string().regex(/^0x[0-9a-f]{64}$/, 'a 0x-prefixed lower-case sha-256')

/**
 * The 0x-prefixed sha-256 of a document's bytes, as recorded on chain.
 *
 * @example
 * ```ts
 * import { documentHash } from '@btt/tokenize'
 * documentHash(new TextEncoder().encode('abc')).slice(0, 10) // '0xba7816bf'
 * ```
 */
export function documentHash(content: Uint8Array): string {
  return sha256(parseTokenize(z.instanceof(Uint8Array), content, 'document content'))
}

/** Throws `TOKENIZE_DOCUMENT_MISMATCH` when a document's bytes do not hash to its declared hash. */
export function checkDocument(doc: AssetDocument): void {
  if (doc.content === undefined) return
  const actual = documentHash(doc.content)
  if (actual !== doc.sha256)
    throw new TokenizeError(
      'TOKENIZE_DOCUMENT_MISMATCH',
      `Document ${doc.name}: its bytes hash to ${actual}, not the declared ${doc.sha256}.`,
      { details: { name: doc.name, declared: doc.sha256, actual } },
    )
}

/**
 * Checks a document's bytes against the hash the registry holds for it.
 *
 * @returns the recorded `{ uri, sha256, lastModified }` when the bytes match.
 * @throws {TokenizeError} `TOKENIZE_DOCUMENT_MISMATCH` (also when no such document is recorded),
 * `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_CHAIN_*`.
 */
export async function verifyDocument(
  t: Tokenization,
  parameters: { assetId: string; name: string; content: Uint8Array },
): Promise<{ uri: string; sha256: string; lastModified: number }> {
  const p = parseTokenize(
    z.strictObject({ assetId: zAssetId, name: zDocumentName, content: z.instanceof(Uint8Array) }),
    parameters,
    'document check',
  )
  const registry = contract(t.chain, 'AssetRegistry', t.deployment.assetRegistry)
  const [uri, recorded, lastModified] = await read(`reading document ${p.name}`, () =>
    registry.getFunction('getDocument')(
      encodeBytes32String(p.assetId),
      encodeBytes32String(p.name),
    ),
  )
  const actual = documentHash(p.content)
  if (lastModified === 0n || recorded !== actual)
    throw new TokenizeError(
      'TOKENIZE_DOCUMENT_MISMATCH',
      lastModified === 0n
        ? `Asset ${p.assetId} has no document ${p.name} on chain.`
        : `Document ${p.name} of ${p.assetId} hashes to ${actual}, the chain holds ${recorded}.`,
      { details: { assetId: p.assetId, name: p.name, recorded, actual } },
    )
  return { uri, sha256: recorded, lastModified: Number(lastModified) * 1000 }
}

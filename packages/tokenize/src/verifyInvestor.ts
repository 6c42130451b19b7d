import { z } from 'zod'
import { contract, send } from './chain.js'
import { type Tokenization, zAddress } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'
import { chainNow } from './registerAsset.js'
import { requireRole } from './roles.js'

export type VerifyInvestorParameters = {
  investor: string
  /** ISO 3166-1 numeric country code, e.g. 156 (China). */
  country: number
  accredited: boolean
  /** When the claim lapses, ms since the epoch; after it, transfers to and from the wallet fail. */
  expiresAt: number
}

const schema = z.strictObject({
  investor: zAddress,
  country: z.number().int().min(1).max(999),
  accredited: z.boolean(),
  expiresAt: z.number().int().positive(),
})

/**
 * Records (or renews) an investor's claim in the identity registry: verified, country,
 * accreditation, expiry. Only the registry's agent may.
 *
 * @param t - the agent's tokenization context.
 * @param parameters - `{ investor, country, accredited, expiresAt }`.
 * @returns the transaction hash.
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT` (an expiry not in the future too),
 * `TOKENIZE_NOT_AGENT`, `TOKENIZE_CHAIN_*`.
 * @example
 * ```ts
 * import { verifyInvestor } from '@btt/tokenize'
 * await verifyInvestor(t, { investor, country: 156, accredited: true, expiresAt: Date.parse('2027-12-31') })
 * ```
 */
export async function verifyInvestor(
  t: Tokenization,
  parameters: VerifyInvestorParameters,
): Promise<string> {
  const p = parseTokenize(schema, parameters, 'investor claim')
  const now = await chainNow(t)
  if (p.expiresAt <= now)
    throw new TokenizeError('TOKENIZE_INVALID_ARGUMENT', 'The claim expires before it starts.', {
      details: { expiresAt: p.expiresAt, now },
    })
  await requireRole(t, 'IdentityRegistry', t.deployment.identityRegistry, 'AGENT_ROLE')
  const registry = contract(t.chain, 'IdentityRegistry', t.deployment.identityRegistry)
  const receipt = await send(t.chain, `verifying ${p.investor}`, () =>
    registry.getFunction('registerIdentity')(
      p.investor,
      p.country,
      p.accredited,
      BigInt(Math.floor(p.expiresAt / 1000)),
    ),
  )
  return receipt.hash
}

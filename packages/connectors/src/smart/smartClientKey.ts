import { parseWithCode } from '@btt/core'
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'

export type SmartAlgorithm = 'RS384' | 'ES384'

export type SmartClientKey = {
  alg: SmartAlgorithm
  kid: string
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']
  /** The public key as a JWK (with `kid`, `alg`, `use: 'sig'`): what the EHR registers. */
  publicJwk: JWK
}

const schema = z.strictObject({
  alg: z.enum(['RS384', 'ES384']).default('ES384'),
  kid: z.string().min(1).max(200).optional(),
})

/**
 * Makes a signing key for SMART Backend Services (RS384 or ES384): the private key stays in
 * memory; `publicJwk` (and `smartJwks([key])`) is what the EHR registers or fetches.
 *
 * @param options - `{ alg?, kid? }` (ES384 by default; kid is the JWK thumbprint-free random id).
 * @returns the key.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for an unsupported algorithm.
 * @example
 * ```ts
 * import { generateSmartClientKey, smartJwks } from '@btt/connectors/ehr'
 * const key = await generateSmartClientKey({ alg: 'RS384' })
 * const jwks = smartJwks([key]) // serve at the client's jwks_uri
 * ```
 */
export async function generateSmartClientKey(
  options: z.input<typeof schema> = {},
): Promise<SmartClientKey> {
  const o = parseWithCode(
    schema,
    options,
    'SMART key options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const { privateKey, publicKey } = await generateKeyPair(o.alg, {
    extractable: true,
    ...(o.alg === 'RS384' ? { modulusLength: 2048 } : {}),
  })
  const kid = o.kid ?? crypto.randomUUID()
  return {
    alg: o.alg,
    kid,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: o.alg, use: 'sig' },
  }
}

/**
 * The public JWKS of some client keys (several during a rotation), to serve or export.
 *
 * @param keys - the keys.
 * @returns `{ keys: [...] }` with public parts only.
 * @example
 * ```ts
 * import { generateSmartClientKey, smartJwks } from '@btt/connectors/ehr'
 * smartJwks([await generateSmartClientKey()]).keys.length // 1
 * ```
 */
export function smartJwks(keys: readonly SmartClientKey[]): { keys: JWK[] } {
  return { keys: keys.map((k) => ({ ...k.publicJwk })) }
}

/**
 * The key as a private JWK (with `kid` and `alg`), to keep in a file only its owner reads.
 *
 * @param key - a key from {@link generateSmartClientKey}.
 * @returns the private JWK.
 * @example
 * ```ts
 * import { exportSmartClientKey, generateSmartClientKey } from '@btt/connectors/ehr'
 * const jwk = await exportSmartClientKey(await generateSmartClientKey())
 * ```
 */
export async function exportSmartClientKey(key: SmartClientKey): Promise<JWK> {
  return { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: key.alg }
}

const privateJwkSchema = z.looseObject({
  kid: z.string().min(1),
  alg: z.enum(['RS384', 'ES384']),
  d: z.string().min(1),
  kty: z.enum(['RSA', 'EC']),
})

/**
 * A key back from its private JWK ({@link exportSmartClientKey}).
 *
 * @param jwk - the private JWK (with `kid`, `alg` RS384 or ES384 and `d`).
 * @returns the key, with its public JWK.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for anything else.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { importSmartClientKey } from '@btt/connectors/ehr'
 * const key = await importSmartClientKey(JSON.parse(readFileSync('smart-key.json', 'utf8')))
 * ```
 */
export async function importSmartClientKey(jwk: unknown): Promise<SmartClientKey> {
  const j = parseWithCode(
    privateJwkSchema,
    jwk,
    'SMART private key',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  try {
    const privateKey = (await importJWK(j as JWK, j.alg)) as SmartClientKey['privateKey']
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = j as Record<string, unknown>
    return { alg: j.alg, kid: j.kid, privateKey, publicJwk: { ...(pub as JWK), use: 'sig' } }
  } catch (cause) {
    throw new ConnectorsError(
      'CONNECTORS_INVALID_ARGUMENT',
      'The SMART private key cannot be imported.',
      { cause, details: { kid: j.kid } },
    )
  }
}

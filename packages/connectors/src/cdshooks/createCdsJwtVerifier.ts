import { parseWithCode } from '@btt/core'
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  jwtVerify,
} from 'jose'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'

/** Asymmetric JWS algorithms only: never `none`, never HMAC (a shared secret is not an identity). */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const

const issuerSchema = z.strictObject({
  /** The issuer's JWKS, used when a token carries no `jku`. */
  jwksUrl: z.url(),
  /** `jku` values accepted for this issuer (exact URLs); a token with another `jku` is refused. */
  jkuAllowlist: z.array(z.url()).default([]),
})

export const cdsJwtVerifierOptionsSchema = z.strictObject({
  /** Allow-listed issuers (`iss`), each with its keys. */
  issuers: z.record(z.string().min(1), issuerSchema),
  /** Oldest accepted `iat`, seconds. */
  maxAgeSeconds: z.number().int().min(1).max(3600).default(300),
  /** Allowed clock skew, seconds. */
  clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
  /** Fetching a JWKS, whole exchange, ms. */
  timeoutMs: z.number().int().min(1).max(60_000).default(5_000),
  /** No refetch of a JWKS within this long after the last one (an unknown `kid` refetches after it), ms. */
  jwksCooldownMs: z.number().int().min(0).max(600_000).default(30_000),
})

export type CdsJwtVerifierOptions = z.input<typeof cdsJwtVerifierOptionsSchema>

export type CdsJwtVerifier = {
  /**
   * Checks `Authorization: Bearer <jwt>` for a call to `audience` (the service's URL); answers the
   * claims or throws `CDS_UNAUTHORIZED` (the reason in `details.reason`, never sent to the caller).
   */
  verify(authorization: string | undefined, audience: string): Promise<JWTPayload>
}

export type CreateCdsJwtVerifierErrorType = ConnectorsError

const unauthorized = (reason: string, cause?: unknown) =>
  new ConnectorsError('CDS_UNAUTHORIZED', 'The CDS Hooks JWT is not acceptable.', {
    cause,
    details: { reason },
  })

/**
 * The JWT check CDS Hooks 2.0 asks of a service, done fully: the issuer must be allow-listed; keys
 * come from the issuer's JWKS, or from the token's `jku` only when that URL is allow-listed for
 * the issuer; `kid` picks the key and an unknown `kid` refetches the set (rotation); the
 * signature must use an asymmetric algorithm; `aud` must equal the service URL; `exp` must be
 * in the future, `iat` no older than `maxAgeSeconds`, and a `jti` is accepted once for the
 * token's lifetime (a replay cache).
 *
 * @param options - `{ issuers, maxAgeSeconds?, clockToleranceSeconds?, timeoutMs?, jwksCooldownMs? }`.
 * @returns the verifier.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for invalid options.
 * @example
 * ```ts
 * import { createCdsJwtVerifier } from '@btt/connectors/ehr'
 * const verifier = createCdsJwtVerifier({ issuers: { 'https://ehr.example': { jwksUrl: 'https://ehr.example/jwks.json' } } })
 * // await verifier.verify(req.headers.authorization, 'https://btt.example/cds-services/btt-patient-view')
 * ```
 */
export function createCdsJwtVerifier(options: CdsJwtVerifierOptions): CdsJwtVerifier {
  const o = parseWithCode(
    cdsJwtVerifierOptionsSchema,
    options,
    'CDS JWT verifier options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const sets = new Map<string, ReturnType<typeof createRemoteJWKSet>>()
  const seen = new Map<string, number>()
  const keySet = (url: string) => {
    let set = sets.get(url)
    if (!set) {
      set = createRemoteJWKSet(new URL(url), {
        timeoutDuration: o.timeoutMs,
        cooldownDuration: o.jwksCooldownMs,
        cacheMaxAge: 600_000,
      })
      sets.set(url, set)
    }
    return set
  }

  return {
    async verify(authorization, audience) {
      const token = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization ?? '')?.[1]
      if (!token) throw unauthorized('no bearer token')
      let header: ReturnType<typeof decodeProtectedHeader>
      let unverified: JWTPayload
      try {
        header = decodeProtectedHeader(token)
        unverified = decodeJwt(token)
      } catch (error) {
        throw unauthorized('not a JWT', error)
      }
      if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(header.alg ?? ''))
        throw unauthorized(`algorithm ${header.alg}`)
      const issuer = typeof unverified.iss === 'string' ? o.issuers[unverified.iss] : undefined
      if (!issuer) throw unauthorized('issuer not allow-listed')
      if (header.jku !== undefined && !issuer.jkuAllowlist.includes(header.jku))
        throw unauthorized('jku not allow-listed')
      let payload: JWTPayload
      try {
        ;({ payload } = await jwtVerify(token, keySet(header.jku ?? issuer.jwksUrl), {
          algorithms: [...ASYMMETRIC_ALGORITHMS],
          issuer: unverified.iss as string,
          audience,
          maxTokenAge: o.maxAgeSeconds,
          clockTolerance: o.clockToleranceSeconds,
          requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
        }))
      } catch (error) {
        throw unauthorized((error as { code?: string }).code ?? 'verification failed', error)
      }
      const now = Math.floor(Date.now() / 1000)
      for (const [jti, exp] of seen) if (exp + o.clockToleranceSeconds < now) seen.delete(jti)
      const jti = `${payload.iss}|${payload.jti}`
      if (seen.has(jti)) throw unauthorized('jti replayed')
      seen.set(jti, payload.exp!)
      return payload
    },
  }
}

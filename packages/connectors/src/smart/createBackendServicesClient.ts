import { parseWithCode } from '@btt/core'
import { SignJWT } from 'jose'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'
import type { SmartClientKey } from './smartClientKey.js'

const optionsSchema = z.strictObject({
  /** The FHIR base (its `.well-known/smart-configuration` names the token endpoint). */
  fhirBaseUrl: z.url(),
  clientId: z.string().min(1).max(500),
  key: z.custom<SmartClientKey>(
    (v) => typeof v === 'object' && v !== null && 'privateKey' in v && 'kid' in v,
  ),
  /** e.g. `system/DiagnosticReport.write system/Observation.read`. */
  scope: z.string().min(1).max(2000),
  /** Renew a cached token this long before it expires, seconds. */
  renewBeforeSeconds: z.number().int().min(0).max(3600).default(60),
  /** Each exchange (discovery, token), whole, ms. */
  timeoutMs: z.number().int().min(1).max(120_000).default(10_000),
})

export type BackendServicesOptions = z.input<typeof optionsSchema>

export type BackendServicesClient = {
  /** A valid access token: cached, renewed `renewBeforeSeconds` before expiry; one request at a time. */
  token(): Promise<string>
  /** The token endpoint found by discovery. */
  tokenEndpoint(): Promise<string>
}

export type CreateBackendServicesClientErrorType = ConnectorsError

async function fetchJson(
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: response.status, body }
}

const configSchema = z.looseObject({ token_endpoint: z.url() })
const tokenSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
})

/**
 * SMART Backend Services (client-credentials with a signed JWT client assertion, RS384 or ES384,
 * via jose): discovers the token endpoint from `.well-known/smart-configuration`, asks for a token
 * with a fresh assertion (`iss` = `sub` = client id, `aud` = token endpoint, `jti`, five minutes),
 * caches it and renews it before it expires. Concurrent callers share one request.
 *
 * @param options - `{ fhirBaseUrl, clientId, key, scope, renewBeforeSeconds?, timeoutMs? }`.
 * @returns the client; pass `client.token` as `createFhirClient({ token })`.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT`; its `token()` throws
 * `SMART_DISCOVERY_FAILED` or `SMART_TOKEN_REFUSED`.
 * @example
 * ```ts
 * import { createBackendServicesClient, createFhirClient, generateSmartClientKey } from '@btt/connectors/ehr'
 * const smart = createBackendServicesClient({ fhirBaseUrl: 'https://ehr.example/fhir', clientId: 'btt', key: await generateSmartClientKey(), scope: 'system/*.read' })
 * const fhir = createFhirClient({ baseUrl: 'https://ehr.example/fhir', token: smart.token })
 * ```
 */
export function createBackendServicesClient(
  options: BackendServicesOptions,
): BackendServicesClient {
  const o = parseWithCode(
    optionsSchema,
    options,
    'SMART Backend Services options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  let endpoint: Promise<string> | undefined
  let cached: { token: string; renewAt: number } | undefined
  let pending: Promise<string> | undefined

  const discover = async (): Promise<string> => {
    const url = `${o.fhirBaseUrl.replace(/\/$/, '')}/.well-known/smart-configuration`
    try {
      const { status, body } = await fetchJson(
        url,
        { headers: { accept: 'application/json' } },
        o.timeoutMs,
      )
      const parsed = configSchema.safeParse(body)
      if (status === 200 && parsed.success) return parsed.data.token_endpoint
      throw new ConnectorsError('SMART_DISCOVERY_FAILED', `No token endpoint at ${url}.`, {
        details: { url, status },
      })
    } catch (error) {
      endpoint = undefined
      if (error instanceof ConnectorsError) throw error
      throw new ConnectorsError('SMART_DISCOVERY_FAILED', `Cannot read ${url}.`, {
        cause: error,
        details: { url },
      })
    }
  }

  const tokenEndpoint = (): Promise<string> => {
    endpoint ??= discover()
    return endpoint
  }

  const requestToken = async (): Promise<string> => {
    const tokenUrl = await tokenEndpoint()
    const now = Math.floor(Date.now() / 1000)
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: o.key.alg, kid: o.key.kid, typ: 'JWT' })
      .setIssuer(o.clientId)
      .setSubject(o.clientId)
      .setAudience(tokenUrl)
      .setJti(crypto.randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(o.key.privateKey)
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: o.scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    })
    const refused = (details: Record<string, unknown>, cause?: unknown) =>
      new ConnectorsError(
        'SMART_TOKEN_REFUSED',
        `The token endpoint refused client ${o.clientId}.`,
        { cause, details },
      )
    let answer: { status: number; body: unknown }
    try {
      answer = await fetchJson(
        tokenUrl,
        { method: 'POST', body: form, headers: { accept: 'application/json' } },
        o.timeoutMs,
      )
    } catch (error) {
      throw refused({ url: tokenUrl, reason: 'unreachable or timed out' }, error)
    }
    const parsed = tokenSchema.safeParse(answer.body)
    if (answer.status !== 200 || !parsed.success) {
      const oauthError = (answer.body as { error?: unknown } | undefined)?.error
      throw refused({
        url: tokenUrl,
        status: answer.status,
        error: typeof oauthError === 'string' ? oauthError : null,
      })
    }
    const lifetime = parsed.data.expires_in ?? 300
    cached = {
      token: parsed.data.access_token,
      renewAt: Date.now() + Math.max(0, lifetime - o.renewBeforeSeconds) * 1000,
    }
    return cached.token
  }

  return {
    async token() {
      if (cached && Date.now() < cached.renewAt) return cached.token
      pending ??= requestToken().finally(() => {
        pending = undefined
      })
      return pending
    },
    tokenEndpoint,
  }
}

import { parseWithCode } from '@btt/core'
import type { Bundle, Resource } from '@medplum/fhirtypes'
import { Client } from 'fhir-kit-client'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'

export const fhirClientOptionsSchema = z.strictObject({
  baseUrl: z.url(),
  /** Whole exchange (connect, headers, body) per attempt, ms. */
  timeoutMs: z.number().int().min(1).max(600_000).default(15_000),
  /** Extra attempts after a 5xx, 429, network failure or timeout. */
  retries: z.number().int().min(0).max(10).default(3),
  /** First backoff, doubled per retry (with up to 50% jitter), ms. */
  backoffMs: z.number().int().min(0).max(60_000).default(200),
  /** Returns a bearer token for each attempt (e.g. a SMART Backend Services token source). */
  token: z.custom<() => Promise<string>>((v) => typeof v === 'function').optional(),
})

export type FhirClientOptions = z.input<typeof fhirClientOptionsSchema>

/** A FHIR R4 REST client (fhir-kit-client) with timeouts, bounded retries and coded errors. */
export type FhirClient = {
  readonly baseUrl: string
  /** `GET`/`POST`/`PUT`/`DELETE` a path relative to the base (e.g. `Patient?identifier=…`). */
  request<T = Resource>(method: string, path: string, body?: unknown): Promise<T>
  /** Sends a transaction (or batch) Bundle; answers the response Bundle. */
  transaction(bundle: Bundle): Promise<Bundle>
  /** Searches, following no pages; `params` as a query string or object. */
  search<T extends Resource = Resource>(type: string, params: Record<string, string>): Promise<T[]>
}

export type CreateFhirClientErrorType = ConnectorsError

const retryable = (status: number) => status >= 500 || status === 429 || status === 408

type Failure = { status?: number; data?: unknown; timedOut: boolean }

function classify(error: unknown, signal: AbortSignal): Failure {
  const e = error as { response?: { status?: number; data?: unknown } }
  if (e?.response?.status !== undefined)
    return { status: e.response.status, data: e.response.data, timedOut: false }
  return { timedOut: signal.aborted }
}

function finalError(
  f: Failure,
  method: string,
  url: string,
  attempts: number,
  cause: unknown,
): ConnectorsError {
  const details = { method, url, attempts, status: f.status ?? null }
  if (f.status !== undefined)
    return new ConnectorsError('FHIR_HTTP_ERROR', `FHIR ${method} ${url} answered ${f.status}.`, {
      cause,
      details: { ...details, outcome: JSON.parse(JSON.stringify(f.data ?? null)) },
    })
  if (f.timedOut)
    return new ConnectorsError('FHIR_TIMEOUT', `FHIR ${method} ${url} timed out.`, {
      cause,
      details,
    })
  return new ConnectorsError('FHIR_UNREACHABLE', `FHIR server at ${url} cannot be reached.`, {
    cause,
    details,
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A FHIR R4 client over fhir-kit-client: each attempt has one timeout for the whole exchange;
 * a 5xx, 429, timeout or network failure is retried up to `retries` times with exponential
 * backoff, then throws `FHIR_HTTP_ERROR`, `FHIR_TIMEOUT` or `FHIR_UNREACHABLE`. A 4xx is not
 * retried. Writes should be idempotent (conditional, deterministic identifiers) so a retry after
 * a lost answer changes nothing.
 *
 * @param options - `{ baseUrl, timeoutMs?, retries?, backoffMs?, token? }`.
 * @returns the client.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for invalid options.
 * @example
 * ```ts
 * import { createFhirClient } from '@btt/connectors/ehr'
 * const fhir = createFhirClient({ baseUrl: 'http://127.0.0.1:8103/fhir/R4' })
 * const reports = await fhir.search('DiagnosticReport', { subject: 'Patient/p1' })
 * ```
 */
export function createFhirClient(options: FhirClientOptions): FhirClient {
  const o = parseWithCode(
    fhirClientOptionsSchema,
    options,
    'FHIR client options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const client = new Client({ baseUrl: o.baseUrl })
  const baseUrl = o.baseUrl.replace(/\/$/, '')

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let last: { failure: Failure; cause: unknown } | undefined
    for (let attempt = 0; attempt <= o.retries; attempt++) {
      if (attempt > 0) await sleep(o.backoffMs * 2 ** (attempt - 1) * (1 + Math.random() / 2))
      const signal = AbortSignal.timeout(o.timeoutMs)
      const headers: Record<string, string> = {
        'content-type': 'application/fhir+json',
        accept: 'application/fhir+json',
      }
      try {
        if (o.token) headers.authorization = `Bearer ${await o.token()}`
        const init = {
          method: method as 'GET',
          options: { headers, signal },
          ...(body === undefined ? {} : { body }),
        }
        return (await client.request(path, init as never)) as T
      } catch (error) {
        if (error instanceof ConnectorsError) throw error
        const failure = classify(error, signal)
        last = { failure, cause: error }
        if (failure.status !== undefined && !retryable(failure.status)) break
      }
    }
    throw finalError(last!.failure, method, `${baseUrl}/${path}`, o.retries + 1, last!.cause)
  }

  return {
    baseUrl,
    request,
    transaction: (bundle) => request<Bundle>('POST', '', bundle),
    async search<T extends Resource>(type: string, params: Record<string, string>) {
      const bundle = await request<Bundle<T>>('GET', `${type}?${new URLSearchParams(params)}`)
      return (bundle.entry ?? [])
        .map((e) => e.resource)
        .filter((r): r is T => r?.resourceType === type)
    },
  }
}

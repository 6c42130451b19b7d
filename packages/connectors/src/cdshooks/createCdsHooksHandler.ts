import type { IncomingMessage, ServerResponse } from 'node:http'
import { defaultConfig, type EngineConfig, parseWithCode } from '@btt/core'
import type { Resource } from '@medplum/fhirtypes'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'
import { balanceCard, type CdsCard, findingsCard, orderCards } from './cards.js'
import { cdsJwtVerifierOptionsSchema, createCdsJwtVerifier } from './createCdsJwtVerifier.js'
import { readJsonBody } from './readJsonBody.js'
import { type CdsRequest, resolvePrefetch } from './resolvePrefetch.js'
import { cdsServices } from './services.js'

const optionsSchema = z.strictObject({
  /** The public origin (and path prefix) the services are reached at, e.g. `https://btt.example`; `aud` is `${serviceUrl}/cds-services/<id>`. */
  serviceUrl: z.url(),
  verifier: cdsJwtVerifierOptionsSchema,
  /** FHIR servers the service may fetch missing prefetch from (the request's `fhirServer` must be one). */
  fhirServers: z.array(z.url()).default([]),
  /** The SMART app's launch URL, linked from the findings card (`type: 'smart'`). */
  appUrl: z.url().optional(),
  /** A patient's points balance, or null when the patient is not enrolled or has no active consent. */
  balance: z
    .custom<(patientId: string) => Promise<bigint | null>>((v) => typeof v === 'function')
    .optional(),
  /** Called with each feedback body the EHR posts. */
  onFeedback: z
    .custom<(serviceId: string, feedback: unknown) => void | Promise<void>>(
      (v) => typeof v === 'function',
    )
    .optional(),
  config: z
    .custom<Pick<EngineConfig, 'computePricing'>>((v) => typeof v === 'object' && v !== null)
    .default(defaultConfig),
  /** GPU seconds an imaging study's analysis takes, for the order-sign quote. */
  gpuSecondsPerStudy: z.number().positive().max(86_400).default(120),
  timeoutMs: z.number().int().min(1).max(60_000).default(5_000),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(5 * 1024 * 1024),
})

export type CdsHooksHandlerOptions = z.input<typeof optionsSchema>
/** A Node `http` request listener that also works as express/connect middleware (`next` for other paths). */
export type CdsHooksHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void
export type CreateCdsHooksHandlerErrorType = ConnectorsError

const requestSchema = z.looseObject({
  hook: z.string().min(1),
  hookInstance: z.string().min(1).max(200),
  context: z.record(z.string(), z.unknown()),
  prefetch: z.record(z.string(), z.looseObject({ resourceType: z.string() }).nullable()).optional(),
  fhirServer: z.url().optional(),
  fhirAuthorization: z
    .looseObject({ access_token: z.string().min(1), token_type: z.string().optional() })
    .optional(),
})

function json(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(body === undefined ? '' : JSON.stringify(body))
}

const ROUTE = /\/cds-services(?:\/([A-Za-z0-9\-.]+)(?:\/(feedback))?)?\/?$/

/**
 * The CDS Hooks 2.0 service: `GET /cds-services` (discovery), `POST /cds-services/btt-patient-view`
 * (cards with the latest AI findings, linking the SMART app, and the incentive balance),
 * `POST /cds-services/btt-order-sign` (an information card per imaging order with the AI
 * analysis' quoted price, from `quoteCompute`) and `POST /cds-services/<id>/feedback`. Every POST
 * must carry a JWT that `createCdsJwtVerifier` accepts for `aud` = the service's URL; any failure
 * answers 401 with no body. Missing prefetch is fetched from the request's `fhirServer` (when
 * allow-listed); required data that cannot be had answers 412. Mount it on `http.createServer`
 * or as express middleware (other paths go to `next`).
 *
 * @param options - see {@link CdsHooksHandlerOptions}.
 * @returns the request handler.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` for invalid options.
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createCdsHooksHandler } from '@btt/connectors/ehr'
 * const handler = createCdsHooksHandler({ serviceUrl: 'https://btt.example', verifier: { issuers: { 'https://ehr.example': { jwksUrl: 'https://ehr.example/jwks.json' } } } })
 * createServer(handler).listen(8080)
 * ```
 */
export function createCdsHooksHandler(options: CdsHooksHandlerOptions): CdsHooksHandler {
  const o = parseWithCode(
    optionsSchema,
    options,
    'CDS Hooks options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const verifier = createCdsJwtVerifier(o.verifier)
  const base = o.serviceUrl.replace(/\/$/, '')

  const cardsFor = async (id: string, request: CdsRequest): Promise<CdsCard[]> => {
    const service = cdsServices.find((s) => s.id === id)!
    const prefetch = await resolvePrefetch(service, request, o)
    if (service.hook === 'order-sign')
      return orderCards(request.context.draftOrders, o.config.computePricing, o.gpuSecondsPerStudy)
    const cards: CdsCard[] = []
    const findings = findingsCard(prefetch, o.appUrl ? { url: o.appUrl } : undefined)
    if (findings) cards.push(findings)
    const patientId = (prefetch.patient as Resource | undefined)?.id
    const points = patientId && o.balance ? await o.balance(patientId) : null
    if (points !== null) cards.push(balanceCard(points))
    return cards
  }

  const post = async (req: IncomingMessage, res: ServerResponse, id: string, feedback: boolean) => {
    const service = cdsServices.find((s) => s.id === id)
    if (!service)
      throw new ConnectorsError('CDS_UNKNOWN_SERVICE', `No CDS service "${id}".`, {
        details: { id },
      })
    await verifier.verify(req.headers.authorization, `${base}/cds-services/${id}`)
    const body = await readJsonBody(req, o.maxBodyBytes)
    if (feedback) {
      if (body === undefined) return json(res, 400, { error: 'feedback is not JSON' })
      await o.onFeedback?.(id, body)
      return json(res, 200, {})
    }
    const parsed = requestSchema.safeParse(body)
    if (!parsed.success || parsed.data.hook !== service.hook)
      return json(res, 400, { error: 'not a CDS Hooks request for this service' })
    return json(res, 200, { cards: await cardsFor(id, parsed.data as CdsRequest) })
  }

  return (req, res, next) => {
    const match = ROUTE.exec(new URL(req.url ?? '/', 'http://localhost').pathname)
    if (!match) {
      if (next) return next()
      return json(res, 404, { error: 'not found' })
    }
    const [, id, feedback] = match
    const run = async () => {
      if (!id && req.method === 'GET') return json(res, 200, { services: cdsServices })
      if (id && req.method === 'POST') return post(req, res, id, feedback !== undefined)
      return json(res, 405, { error: 'method not allowed' })
    }
    run().catch((error: unknown) => {
      if (res.headersSent) return res.end()
      const code = error instanceof ConnectorsError ? error.code : undefined
      if (code === 'CDS_UNAUTHORIZED') return json(res, 401)
      if (code === 'CDS_PREFETCH_UNAVAILABLE')
        return json(res, 412, { error: error instanceof Error ? error.message : '' })
      if (code === 'CDS_UNKNOWN_SERVICE') return json(res, 404, { error: 'no such service' })
      return json(res, 500, { error: 'internal error' })
    })
  }
}

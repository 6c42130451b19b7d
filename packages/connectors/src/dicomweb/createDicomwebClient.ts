import { randomUUID } from 'node:crypto'
import { ConnectorsError } from '../errors.js'
import { boundaryOf, multipartBody, parseMultipart } from './multipart.js'

/** A DICOM JSON object (PS3.18 F.2): tag → { vr, Value }. */
export type DicomJson = Record<string, { vr: string; Value?: unknown[] }>

export type DicomwebClientOptions = {
  /** Base URL of the DICOMweb service, e.g. `http://pacs:8042/dicom-web`. */
  url: string
  /** Extra headers on every request (e.g. `Authorization: Bearer …`). */
  headers?: Record<string, string>
  /** A fetch implementation (default: the global fetch). */
  fetch?: typeof fetch
  /**
   * Seconds without progress — no part of the request body sent and no response started — before
   * a request fails with a `ConnectorsError` (`DICOMWEB_TIMEOUT`) (default 60). A large upload or download that keeps
   * moving is not cut short.
   */
  timeoutSeconds?: number
}

export type StoreResult = {
  /** SOP Instance UIDs the server accepted. */
  stored: string[]
  /** SOP Instance UIDs the server refused, with its failure reason code. */
  failed: { sopInstanceUid: string; reason: number | undefined }[]
}

export type DicomwebClient = ReturnType<typeof createDicomwebClient>

/** First value of a tag in a DICOM JSON object. */
export function jsonValue(object: DicomJson, tag: string): unknown {
  const v = object[tag]?.Value?.[0]
  return typeof v === 'object' && v !== null && 'Alphabetic' in v
    ? (v as { Alphabetic: string }).Alphabetic
    : v
}

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
  const base = options.url.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const request = async (path: string, init: RequestInit & { duplex?: 'half' } = {}) => {
    const url = `${base}${path}`
    let response: Response
    const seconds = options.timeoutSeconds ?? 60
    const abort = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(
        () => abort.abort(new Error(`no progress for ${seconds} s`)),
        seconds * 1000,
      )
    }
    arm()
    // a streamed request body re-arms the timer as the network takes each chunk
    const body =
      init.body instanceof ReadableStream
        ? init.body.pipeThrough(
            new TransformStream<Uint8Array, Uint8Array>({
              transform(chunk, controller) {
                arm()
                controller.enqueue(chunk)
              },
            }),
          )
        : init.body
    try {
      response = await doFetch(url, {
        ...init,
        ...(body ? { body } : {}),
        signal: abort.signal,
        headers: { ...options.headers, ...(init.headers as Record<string, string>) },
      })
    } catch (error) {
      const reason = abort.signal.aborted
        ? (abort.signal.reason as Error).message
        : (error as Error).message
      throw dicomwebError({ status: 0, url, reason, timedOut: abort.signal.aborted }, error)
    } finally {
      clearTimeout(timer)
    }
    if (!response.ok && response.status !== 202) {
      throw dicomwebError({
        status: response.status,
        url,
        body: await response.text().catch(() => ''),
      })
    }
    return { response, url }
  }
  const query = (q: Record<string, string | number | boolean> = {}) => {
    const s = new URLSearchParams(
      Object.entries(q).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString()
    return s ? `?${s}` : ''
  }
  const qido = async (
    path: string,
    q?: Record<string, string | number | boolean>,
  ): Promise<DicomJson[]> => {
    const { response } = await request(`${path}${query(q)}`, {
      headers: { Accept: 'application/dicom+json' },
    })
    if (response.status === 204) return []
    const text = await response.text()
    return text ? (JSON.parse(text) as DicomJson[]) : []
  }
  async function* wado(path: string): AsyncGenerator<Uint8Array> {
    const { response, url } = await request(path, {
      headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
    })
    const boundary = boundaryOf(response.headers.get('content-type'))
    if (!boundary || !response.body)
      throw dicomwebError({
        status: response.status,
        url,
        reason: 'response is not multipart/related',
      })
    for await (const part of parseMultipart(
      response.body as unknown as AsyncIterable<Uint8Array>,
      boundary,
    ))
      yield part.body
  }
  return {
    /** QIDO-RS: studies matching the query (e.g. `{ PatientID: 'P1', includefield: 'all' }`). */
    searchStudies: (q?: Record<string, string | number | boolean>) => qido('/studies', q),
    /** QIDO-RS: series of a study. */
    searchSeries: (study: string, q?: Record<string, string | number | boolean>) =>
      qido(`/studies/${study}/series`, q),
    /** QIDO-RS: instances of a study (and series). */
    searchInstances: (
      study: string,
      series?: string,
      q?: Record<string, string | number | boolean>,
    ) =>
      qido(
        series ? `/studies/${study}/series/${series}/instances` : `/studies/${study}/instances`,
        q,
      ),
    /** WADO-RS: every instance of a study, streamed one at a time (Part 10 bytes). */
    retrieveStudy: (study: string) => wado(`/studies/${study}`),
    /** WADO-RS: one instance. */
    async retrieveInstance(study: string, series: string, instance: string): Promise<Uint8Array> {
      for await (const part of wado(`/studies/${study}/series/${series}/instances/${instance}`))
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
    async store(
      instances: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
      study?: string,
    ): Promise<StoreResult> {
      const boundary = `btt-${randomUUID()}`
      const { response } = await request(study ? `/studies/${study}` : '/studies', {
        method: 'POST',
        headers: {
          'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
          Accept: 'application/dicom+json',
        },
        body: multipartBody(instances, boundary),
        duplex: 'half',
      })
      const text = await response.text()
      const json = (text ? JSON.parse(text) : {}) as DicomJson
      const items = (tag: string) => (json[tag]?.Value ?? []) as DicomJson[]
      return {
        stored: items('00081199').map((i) => String(jsonValue(i, '00081155'))),
        failed: items('00081198').map((i) => ({
          sopInstanceUid: String(jsonValue(i, '00081155')),
          reason: jsonValue(i, '00081197') as number | undefined,
        })),
      }
    },
  }
}

/** One place that turns a failed DICOMweb exchange into a coded error. */
function dicomwebError(
  p: { status: number; url: string; body?: string; reason?: string; timedOut?: boolean },
  cause?: unknown,
): ConnectorsError {
  const code = p.timedOut
    ? 'DICOMWEB_TIMEOUT'
    : p.status === 0
      ? 'DICOMWEB_UNREACHABLE'
      : p.status >= 400
        ? 'DICOMWEB_HTTP_ERROR'
        : 'DICOMWEB_BAD_RESPONSE'
  return new ConnectorsError(
    code,
    `DICOMweb ${p.status ? `HTTP ${p.status}` : 'request failed'} for ${p.url}${p.reason ? `: ${p.reason}` : ''}.`,
    {
      cause,
      details: {
        status: p.status,
        url: p.url,
        ...(p.reason ? { reason: p.reason } : {}),
        ...(p.body ? { body: p.body.slice(0, 500) } : {}),
      },
    },
  )
}

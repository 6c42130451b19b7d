import { ConnectorsError } from '../errors.js'
import { dicomwebError } from './dicomwebError.js'
import { createExchangeTimer, type ExchangeTimer } from './exchangeTimer.js'

export type ExchangeLimits = { idleSeconds: number; deadlineSeconds?: number | undefined }

/** The client's request function: a path under the base URL, and the request. */
export type Request = (path: string, init?: RequestInit & { duplex?: 'half' }) => Promise<Exchange>

/** An HTTP exchange whose body is still to be read, under the exchange's timer. */
export type Exchange = {
  url: string
  response: Response
  /** The body, chunk by chunk; every read is timed; the exchange ends with the last chunk. */
  chunks(): AsyncGenerator<Uint8Array>
  /** The whole body as text (timed like `chunks`). */
  text(): Promise<string>
}

/** Any failure during the exchange, coded: the timer's reason wins over what fetch threw. */
function failure(timer: ExchangeTimer, url: string, status: number, error: unknown) {
  if (timer.reason)
    return dicomwebError({ status: 0, url, reason: timer.reason, timedOut: true }, error)
  if (error instanceof ConnectorsError) return error
  return dicomwebError({ status: status && status < 400 ? 0 : status, url }, error)
}

/** The request body, re-arming the no-progress timer as the network takes each chunk. */
function timedBody(body: RequestInit['body'], timer: ExchangeTimer) {
  if (!(body instanceof ReadableStream)) return body
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        timer.waiting()
        controller.enqueue(chunk)
      },
    }),
  )
}

async function* timedChunks(
  response: Response,
  timer: ExchangeTimer,
  url: string,
): AsyncGenerator<Uint8Array> {
  const reader = response.body?.getReader()
  try {
    for (;;) {
      if (!reader) return
      timer.waiting()
      let read: Awaited<ReturnType<typeof reader.read>>
      try {
        read = await Promise.race([reader.read(), timer.expired])
      } catch (error) {
        throw failure(timer, url, response.status, error)
      }
      timer.idle()
      if (read.done) return
      yield read.value
    }
  } finally {
    timer.stop()
    // stopped early (or failed): let the connection go instead of leaving it half-read
    reader?.cancel().catch(() => {})
  }
}

/**
 * Sends one DICOMweb request with a timer over the whole exchange: connect, headers and every
 * read of the body re-arm a no-progress timer (`idleSeconds`), and an optional overall
 * `deadlineSeconds` bounds it all. HTTP errors, timeouts and connection failures (refused, DNS,
 * TLS, reset) become coded `ConnectorsError`s.
 *
 * @param doFetch - the fetch to use.
 * @param url - the full URL.
 * @param init - method, headers, body.
 * @param limits - the no-progress timeout and the optional deadline, in seconds.
 * @returns the exchange, its body still to read.
 * @example
 * ```ts
 * const exchange = await openExchange(fetch, 'http://pacs/dicom-web/studies', {}, { idleSeconds: 60 })
 * const text = await exchange.text()
 * ```
 */
export async function openExchange(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit & { duplex?: 'half' },
  limits: ExchangeLimits,
): Promise<Exchange> {
  const timer = createExchangeTimer(limits)
  const body = timedBody(init.body, timer)
  let response: Response
  try {
    response = await Promise.race([
      doFetch(url, { ...init, ...(body ? { body } : {}), signal: timer.signal }),
      timer.expired,
    ])
  } catch (error) {
    timer.stop()
    throw failure(timer, url, 0, error)
  }
  const chunks = () => timedChunks(response, timer, url)
  const text = async () => {
    const decoder = new TextDecoder()
    let out = ''
    for await (const chunk of chunks()) out += decoder.decode(chunk, { stream: true })
    return out + decoder.decode()
  }
  if (!response.ok && response.status !== 202) {
    const said = await text().catch(() => '')
    throw dicomwebError({ status: response.status, url, body: said })
  }
  return { url, response, chunks, text }
}

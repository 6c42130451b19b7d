import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { BttError } from '@btt/core'
import { ComputeError } from '../errors.js'

const statusOf: Record<string, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  integrity: 422,
  unavailable: 503,
  timeout: 504,
}

/**
 * Reads a request body up to `limit` bytes, checking its content type first.
 *
 * @throws {ComputeError} `COMPUTE_BAD_REQUEST` (413 for oversized, 415 for a wrong content type).
 */
export async function readBody(
  req: IncomingMessage,
  options: { limit: number; contentType: string },
): Promise<Buffer> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== options.contentType)
    throw new ComputeError('COMPUTE_BAD_REQUEST', `Expected content type ${options.contentType}.`, {
      details: { status: 415, reason: 'wrong content type', got: type || null },
    })
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > options.limit) throw tooLarge(options.limit)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > options.limit) {
      req.resume()
      throw tooLarge(options.limit)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

const tooLarge = (limit: number) =>
  new ComputeError('COMPUTE_BAD_REQUEST', `The body is larger than ${limit} bytes.`, {
    details: { status: 413, reason: 'body too large', limit },
  })

/** Reads a JSON body (up to `limit`), parsed but not yet validated. */
export async function readJson(req: IncomingMessage, limit = 64 << 10): Promise<unknown> {
  const body = await readBody(req, { limit, contentType: 'application/json' })
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new ComputeError('COMPUTE_BAD_REQUEST', 'The body is not valid JSON.', {
      details: { reason: 'invalid JSON' },
    })
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}

export function sendBytes(res: ServerResponse, type: string, body: Buffer): void {
  res.writeHead(200, { 'content-type': type, 'content-length': body.length })
  res.end(body)
}

/**
 * Answers an error: a coded error with its status and `{ code, message, details }`; anything
 * else as a 500 that says nothing of its cause.
 */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  if (error instanceof BttError) {
    const explicit = (error.details as { status?: unknown } | undefined)?.status
    const status = typeof explicit === 'number' ? explicit : (statusOf[error.kind] ?? 500)
    sendJson(res, status, { code: error.code, message: error.message, details: error.details })
    return
  }
  sendJson(res, 500, { code: 'COMPUTE_UNEXPECTED', message: 'Internal error.' })
}

/** Keep-alive connections for every exchange: idle ones close before a Node server's 5 s. */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, timeout: 4000, scheduling: 'lifo' }),
  'https:': new HttpsAgent({ keepAlive: true, timeout: 4000, scheduling: 'lifo' }),
}
/** Largest answer body read (a frame's limit and room for its envelope). */
const MAX_ANSWER_BYTES = (64 << 20) + (1 << 20)

export type ExchangeInit = {
  method: string
  headers?: Record<string, string>
  body?: string | Buffer
  timeoutMs: number
}

/**
 * One HTTP exchange on a kept-alive connection, with one timeout over all of it (connect,
 * headers and the body), answering the body bytes; a non-2xx answer is an error carrying the
 * server's code and message. A request that finds its reused idle connection closed by the
 * server is sent once more on a new one.
 *
 * @throws {ComputeError} `COMPUTE_NETWORK_TIMEOUT`, `COMPUTE_UNAUTHORIZED` (401, 403), `COMPUTE_NETWORK_UNAVAILABLE`.
 */
export async function exchange(
  url: string,
  init: ExchangeInit,
): Promise<{ status: number; type: string; body: Buffer }> {
  const res = await send(url, init)
  if (res.status >= 400) {
    let remote: { code?: string; message?: string } = {}
    try {
      remote = JSON.parse(res.body.toString('utf8'))
    } catch {}
    throw new ComputeError(
      res.status === 401 || res.status === 403
        ? 'COMPUTE_UNAUTHORIZED'
        : 'COMPUTE_NETWORK_UNAVAILABLE',
      `${url} answered ${res.status}: ${remote.message ?? 'no reason given'}`,
      { details: { url, status: res.status, remoteCode: remote.code ?? null } },
    )
  }
  return res
}

function send(url: string, init: ExchangeInit) {
  return new Promise<{ status: number; type: string; body: Buffer }>((resolve, reject) => {
    let req: ClientRequest | undefined
    const timer = setTimeout(() => {
      const error = new ComputeError(
        'COMPUTE_NETWORK_TIMEOUT',
        `${url} did not answer in ${init.timeoutMs} ms.`,
        { details: { url, timeoutMs: init.timeoutMs } },
      )
      req?.destroy(error)
      reject(error)
    }, init.timeoutMs)
    const fail = (cause: unknown) => {
      clearTimeout(timer)
      reject(
        cause instanceof ComputeError
          ? cause
          : new ComputeError('COMPUTE_NETWORK_UNAVAILABLE', `${url} could not be reached.`, {
              cause,
              details: { url },
            }),
      )
    }
    const attempt = (retry: boolean) => {
      let target: URL
      try {
        target = new URL(url)
        const agent = agents[target.protocol as keyof typeof agents]
        if (!agent)
          throw new ComputeError('COMPUTE_INVALID_ARGUMENT', `${url} is not http(s).`, {
            details: { url },
          })
        const body = init.body
        const headers =
          body === undefined
            ? init.headers
            : { ...init.headers, 'content-length': String(Buffer.byteLength(body)) }
        req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, {
          method: init.method,
          headers,
          agent,
        })
        const sent = req
        sent.on('error', (error: NodeJS.ErrnoException) => {
          if (retry && sent.reusedSocket && error.code === 'ECONNRESET') attempt(false)
          else fail(error)
        })
        sent.on('response', (res) =>
          readAnswer(res, url, fail, (answer) => {
            clearTimeout(timer)
            resolve(answer)
          }),
        )
        sent.end(body)
      } catch (error) {
        fail(error)
      }
    }
    attempt(true)
  })
}

const cutOff = (url: string) =>
  new ComputeError('COMPUTE_NETWORK_UNAVAILABLE', `${url} cut its answer off.`, {
    details: { url, reason: 'answer cut off' },
  })

function readAnswer(
  res: IncomingMessage,
  url: string,
  fail: (cause: unknown) => void,
  done: (answer: { status: number; type: string; body: Buffer }) => void,
): void {
  const chunks: Buffer[] = []
  let size = 0
  res.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > MAX_ANSWER_BYTES) {
      res.destroy()
      fail(
        new ComputeError(
          'COMPUTE_NETWORK_UNAVAILABLE',
          `${url} answered more than ${MAX_ANSWER_BYTES} bytes.`,
          {
            details: { url, reason: 'answer too large' },
          },
        ),
      )
    } else chunks.push(chunk)
  })
  res.on('error', fail)
  res.on('aborted', () => fail(cutOff(url)))
  res.on('end', () => {
    if (res.complete)
      done({
        status: res.statusCode ?? 0,
        type: (res.headers['content-type'] ?? '').split(';')[0]!,
        body: Buffer.concat(chunks),
      })
    else fail(cutOff(url))
  })
}

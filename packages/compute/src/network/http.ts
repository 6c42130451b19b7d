import type { IncomingMessage, ServerResponse } from 'node:http'
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

/**
 * `fetch` with one timeout over the whole exchange (headers and body), answering the body bytes;
 * a non-2xx answer is an error carrying the server's code and message.
 *
 * @throws {ComputeError} `COMPUTE_NETWORK_TIMEOUT`, `COMPUTE_UNAUTHORIZED` (401, 403), `COMPUTE_NETWORK_UNAVAILABLE`.
 */
export async function exchange(
  url: string,
  init: RequestInit & { timeoutMs: number },
): Promise<{ status: number; type: string; body: Buffer }> {
  const signal = AbortSignal.timeout(init.timeoutMs)
  try {
    const res = await fetch(url, { ...init, signal })
    const body = Buffer.from(await res.arrayBuffer())
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!
    if (res.status >= 400) {
      let remote: { code?: string; message?: string } = {}
      try {
        remote = JSON.parse(body.toString('utf8'))
      } catch {}
      throw new ComputeError(
        res.status === 401 || res.status === 403
          ? 'COMPUTE_UNAUTHORIZED'
          : 'COMPUTE_NETWORK_UNAVAILABLE',
        `${url} answered ${res.status}: ${remote.message ?? 'no reason given'}`,
        { details: { url, status: res.status, remoteCode: remote.code ?? null } },
      )
    }
    return { status: res.status, type, body }
  } catch (error) {
    if (error instanceof ComputeError) throw error
    if (signal.aborted)
      throw new ComputeError(
        'COMPUTE_NETWORK_TIMEOUT',
        `${url} did not answer in ${init.timeoutMs} ms.`,
        {
          cause: error,
          details: { url, timeoutMs: init.timeoutMs },
        },
      )
    throw new ComputeError('COMPUTE_NETWORK_UNAVAILABLE', `${url} could not be reached.`, {
      cause: error,
      details: { url },
    })
  }
}

import http from 'node:http'
import https from 'node:https'
import { type FetchGetUrlFunc, FetchRequest, makeError } from 'ethers'
import { PayfiError } from '../errors.js'

/** The largest JSON-RPC answer read: 64 MiB. */
const maxBody = 64 * 1024 * 1024

/**
 * A JSON-RPC request whose every exchange has one deadline over the whole of it, connect to last
 * byte: when it passes (or the call is cancelled, or the answer is too large) the socket is
 * destroyed and the call fails with an ethers `TIMEOUT` (`CANCELLED`, `SERVER_ERROR`). ethers'
 * own Node client only rejects on an idle socket and leaves the socket open.
 */
export function rpcRequest(url: string, timeoutMs: number): FetchRequest {
  const request = new FetchRequest(url)
  request.timeout = timeoutMs
  request.getUrlFunc = getUrl
  return request
}

const getUrl: FetchGetUrlFunc = (req, signal) =>
  new Promise((resolve, reject) => {
    const client = req.url.startsWith('https:') ? https : http
    const outgoing = client.request(req.url, { method: req.method, headers: { ...req.headers } })
    const fail = (error: Error) => {
      clearTimeout(timer)
      outgoing.destroy()
      reject(error)
    }
    const timer = setTimeout(() => fail(makeError('request timeout', 'TIMEOUT')), req.timeout)
    signal?.addListener(() => fail(makeError('request cancelled', 'CANCELLED')))
    outgoing.on('error', fail)
    outgoing.once('response', (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > maxBody) fail(makeError('response too large', 'SERVER_ERROR'))
        else chunks.push(chunk)
      })
      res.on('error', fail)
      res.on('end', () => {
        clearTimeout(timer)
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(res.headers))
          headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '')
        resolve({
          statusCode: res.statusCode ?? 0,
          statusMessage: res.statusMessage ?? '',
          headers,
          body: new Uint8Array(Buffer.concat(chunks)),
        })
      })
    })
    outgoing.end(req.body ? Buffer.from(req.body) : undefined)
  })

/** A failed first call to the node: `PAYFI_CHAIN_TIMEOUT` when it timed out, else unavailable. */
export function unreachable(rpcUrl: string, error: unknown): PayfiError {
  if ((error as { code?: string })?.code === 'TIMEOUT')
    return new PayfiError('PAYFI_CHAIN_TIMEOUT', `The chain at ${rpcUrl} did not answer in time.`, {
      cause: error,
      details: { rpcUrl },
    })
  return new PayfiError('PAYFI_CHAIN_UNAVAILABLE', `Cannot reach the chain at ${rpcUrl}.`, {
    cause: error,
    details: { rpcUrl },
  })
}

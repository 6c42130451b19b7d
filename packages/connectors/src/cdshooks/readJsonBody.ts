import type { IncomingMessage } from 'node:http'

/** The request's JSON body (or what an express-style parser left in `req.body`); undefined when unreadable. */
export async function readJsonBody(
  req: IncomingMessage & { body?: unknown },
  maxBytes: number,
): Promise<unknown> {
  if (req.body !== undefined && typeof req.body === 'object' && !Buffer.isBuffer(req.body))
    return req.body
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > maxBytes) return undefined
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    return undefined
  }
}

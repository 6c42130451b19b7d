import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { toBttError } from '@btt/core'
import { z } from 'zod'
import { httpStatusOf, parsePayfi, payfiError } from '../errors.js'
import type { PayfiStore } from '../ledger/store.js'
import type { Payments } from '../payments/createPayments.js'
import { authenticate } from './apiKeys.js'

export type PayfiServerOptions = {
  store: PayfiStore
  payments: Payments
  /** Largest request body, bytes. Default 64 KiB. */
  maxBodyBytes?: number
  /** Limit for receiving a whole request (headers and body), ms. Default 10 000. */
  requestTimeoutMs?: number
}

const json = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x))

function send(res: ServerResponse, status: number, body: unknown) {
  const text = json(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw payfiError('PAYFI_INVALID_ARGUMENT', `The body exceeds ${limit} bytes.`)
    chunks.push(chunk as Buffer)
  }
  if (size === 0) return {}
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch (cause) {
    throw payfiError('PAYFI_INVALID_ARGUMENT', 'The body is not JSON.', { cause })
  }
}

const createBody = z.strictObject({
  amount: z.string(),
  currency: z.string(),
  settlement_currency: z.string().optional(),
  analytics: z.boolean().optional(),
  metadata: z.unknown().optional(),
})
const amountBody = z.strictObject({ amount: z.string().optional() })
const idemKey = z.string().min(1).max(255)

/**
 * The REST API over the payments (what `btt payfi serve` runs): API keys (stored hashed) in
 * `Authorization: Bearer`, an `Idempotency-Key` header on every POST, JSON errors
 * `{ code, message, details }` with the status from the error's kind, no cross-tenant reads.
 * Amounts in requests are decimal strings in major units (`"100.00"`); responses give base units
 * as strings.
 *
 * @param options - `{ store, payments, maxBodyBytes?, requestTimeoutMs? }`.
 * @returns an `http.Server`, not yet listening.
 * @example
 * ```ts
 * import { createPayfiServer, createPayments, openSqliteLedger } from '@btt/payfi'
 * const store = openSqliteLedger(':memory:')
 * createPayfiServer({ store, payments: createPayments(store) }).listen(0, '127.0.0.1')
 * ```
 */
export function createPayfiServer(options: PayfiServerOptions): Server {
  parsePayfi(
    z.strictObject({
      store: z.custom<PayfiStore>(
        (v) => typeof (v as PayfiStore)?.findApiKey === 'function',
        'a PayfiStore',
      ),
      payments: z.custom<Payments>(
        (v) => typeof (v as Payments)?.create === 'function',
        'a Payments API',
      ),
      maxBodyBytes: z.number().int().min(1).max(10_000_000).optional(),
      requestTimeoutMs: z.number().int().min(1).max(600_000).optional(),
    }),
    options,
    'server options',
  )
  const { store, payments } = options
  const limit = options.maxBodyBytes ?? 65_536
  const server = createServer(async (req, res) => {
    try {
      const merchant = await authenticate(store, req.headers.authorization)
      const url = new URL(req.url ?? '/', 'http://localhost')
      const parts = url.pathname.split('/').filter(Boolean)
      if (parts[0] !== 'v1' || parts[1] !== 'payments' || parts.length > 4)
        throw payfiError('PAYFI_PAYMENT_NOT_FOUND', `No route ${req.method} ${url.pathname}.`)
      const [, , id, action] = parts
      if (req.method === 'GET') {
        if (id && !action) return send(res, 200, await payments.retrieve(merchant, id))
        if (!id) {
          const n = url.searchParams.get('limit')
          return send(res, 200, {
            data: await payments.list(merchant, n ? { limit: Number(n) } : {}),
          })
        }
      }
      if (req.method !== 'POST')
        throw payfiError('PAYFI_PAYMENT_NOT_FOUND', `No route ${req.method} ${url.pathname}.`)
      const call = {
        idempotencyKey: parsePayfi(
          idemKey,
          req.headers['idempotency-key'],
          'Idempotency-Key header',
        ),
      }
      const body = await readBody(req, limit)
      if (!id) {
        const b = parsePayfi(createBody, body, 'payment')
        const params = {
          amount: b.amount,
          currency: b.currency,
          ...(b.settlement_currency ? { settlementCurrency: b.settlement_currency } : {}),
          ...(b.analytics !== undefined ? { analytics: b.analytics } : {}),
          ...(b.metadata !== undefined ? { metadata: b.metadata as Record<string, string> } : {}),
        }
        return send(res, 201, await payments.create(merchant, params, call))
      }
      const amount = () => {
        const b = parsePayfi(amountBody, body, 'amount')
        return b.amount === undefined ? {} : { amount: b.amount }
      }
      if (action === 'authorize')
        return send(res, 200, await payments.authorize(merchant, id, call))
      if (action === 'capture')
        return send(res, 200, await payments.capture(merchant, id, amount(), call))
      if (action === 'cancel') return send(res, 200, await payments.cancel(merchant, id, call))
      if (action === 'refund')
        return send(res, 200, await payments.refund(merchant, id, amount(), call))
      throw payfiError('PAYFI_PAYMENT_NOT_FOUND', `No route POST ${url.pathname}.`)
    } catch (error) {
      const e = toBttError(error)
      send(res, httpStatusOf(e.kind), e.toJSON())
    }
  })
  server.requestTimeout = options.requestTimeoutMs ?? 10_000
  server.headersTimeout = Math.min(server.requestTimeout, 10_000)
  return server
}

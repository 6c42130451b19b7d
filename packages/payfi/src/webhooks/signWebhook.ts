import { createHmac } from 'node:crypto'
import { z } from 'zod'
import { parsePayfi } from '../errors.js'

const schema = z.strictObject({
  rawBody: z.union([z.string(), z.instanceof(Uint8Array)]),
  secret: z.string().min(16),
  timestamp: z.number().int().nonnegative(),
})

/**
 * The `Payfi-Signature` header for a body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
 *
 * @param rawBody - the exact bytes sent.
 * @param secret - the endpoint's signing secret (≥ 16 characters).
 * @param timestamp - unix seconds.
 * @returns the header value.
 * @example
 * ```ts
 * import { signWebhook } from '@btt/payfi'
 * signWebhook('{"id":"evt_1"}', 'whsec_0123456789abcdef', 1700000000)
 * ```
 */
export function signWebhook(
  rawBody: string | Uint8Array,
  secret: string,
  timestamp: number,
): string {
  parsePayfi(schema, { rawBody, secret, timestamp }, 'webhook signature input')
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')
  return `t=${timestamp},v1=${mac}`
}

/** The header that carries the signature. */
export const signatureHeader = 'payfi-signature'

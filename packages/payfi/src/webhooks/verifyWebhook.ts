import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { parsePayfi, payfiError } from '../errors.js'

const schema = z.strictObject({
  rawBody: z.union([z.string(), z.instanceof(Uint8Array)]),
  header: z.string().max(4096).optional(),
  secret: z.string().min(16),
  toleranceSeconds: z.number().int().min(1).max(86_400),
  now: z.number().int().nonnegative(),
})

export type VerifyWebhookOptions = {
  /** Largest accepted |now − t|, seconds. Default 300. */
  toleranceSeconds?: number
  /** Unix seconds; `Date.now()/1000` by default. */
  now?: number
}

/**
 * Verifies a webhook against the RAW body (the bytes received, never a re-serialised object):
 * any `v1` in the header may match (secret rotation), compared in constant time, and `t` must be
 * within the tolerance. Throws `PAYFI_WEBHOOK_SIGNATURE_INVALID` or
 * `PAYFI_WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE`; returns the parsed event.
 *
 * @param rawBody - Buffer or string exactly as received.
 * @param header - the `Payfi-Signature` header.
 * @param secret - the endpoint's signing secret.
 * @param options - `{ toleranceSeconds?, now? }`.
 * @returns the event, parsed from the verified body.
 * @example
 * ```ts
 * import { signWebhook, verifyWebhook } from '@btt/payfi'
 * const body = '{"id":"evt_1"}'
 * const secret = 'whsec_0123456789abcdef'
 * verifyWebhook(body, signWebhook(body, secret, Math.floor(Date.now() / 1000)), secret)
 * ```
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  header: string | undefined,
  secret: string,
  options: VerifyWebhookOptions = {},
): unknown {
  const o = parsePayfi(
    schema,
    {
      rawBody,
      header,
      secret,
      toleranceSeconds: options.toleranceSeconds ?? 300,
      now: options.now ?? Math.floor(Date.now() / 1000),
    },
    'webhook verification input',
  )
  const parts = (o.header ?? '').split(',').map((p) => p.trim().split('='))
  const ts = parts.find(([k]) => k === 't')?.[1]
  const sigs = parts
    .filter(([k, v]) => k === 'v1' && v && /^[0-9a-f]{64}$/.test(v))
    .map(([, v]) => v!)
  if (!ts || !/^\d{1,12}$/.test(ts) || sigs.length === 0)
    throw payfiError(
      'PAYFI_WEBHOOK_SIGNATURE_INVALID',
      'The signature header is missing or malformed.',
    )
  const expected = createHmac('sha256', o.secret).update(`${ts}.`).update(o.rawBody).digest()
  const ok = sigs.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected))
  if (!ok) throw payfiError('PAYFI_WEBHOOK_SIGNATURE_INVALID', 'No signature matches the body.')
  const age = Math.abs(o.now - Number(ts))
  if (age > o.toleranceSeconds)
    throw payfiError(
      'PAYFI_WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
      `The signature is ${age} s from now.`,
      {
        details: { ageSeconds: age, toleranceSeconds: o.toleranceSeconds },
      },
    )
  const text = typeof o.rawBody === 'string' ? o.rawBody : Buffer.from(o.rawBody).toString('utf8')
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw payfiError('PAYFI_WEBHOOK_SIGNATURE_INVALID', 'The signed body is not JSON.', { cause })
  }
}

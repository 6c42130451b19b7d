import { z } from 'zod'
import { PayfiError, parsePayfi, payfiError } from '../errors.js'
import type { PayfiStore } from '../ledger/store.js'
import { canonicalHash } from '../ledger/unit.js'
import type { CallOptions } from './createPayments.js'
import { eventFor, paymentAccounts, type Step } from './operations.js'
import { type Payment, paymentFromJson, paymentToJson } from './types.js'

const keySchema = z.strictObject({ idempotencyKey: z.string().min(1).max(255) })
const RETRIES = 8

/**
 * Runs `build` once per attempt and commits its step together with the idempotency key; a key
 * already used answers the first result (same request) or `PAYFI_IDEMPOTENCY_CONFLICT`. An
 * unknown outcome or a lost race re-reads the key: never a blind retry.
 */
export async function runIdempotent(
  ctx: { store: PayfiStore; now: () => number; retention: number },
  merchantId: string,
  call: CallOptions,
  request: unknown,
  build: () => Promise<Step>,
): Promise<Payment> {
  const { idempotencyKey: key } = parsePayfi(keySchema, call, 'call options')
  const requestHash = canonicalHash(request)
  let lastError: unknown
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    // the step is built while the key is looked up (one round trip instead of two); a replay
    // discards it, and its failure too
    const [seen, built] = await Promise.all([
      ctx.store.getIdempotency(merchantId, key),
      build().then(
        (step) => ({ step }),
        (error: unknown) => ({ error }),
      ),
    ])
    if (seen) {
      if (seen.requestHash !== requestHash)
        throw payfiError(
          'PAYFI_IDEMPOTENCY_CONFLICT',
          `Idempotency key "${key}" was used with other parameters.`,
          {
            details: { idempotencyKey: key },
          },
        )
      return paymentFromJson(seen.response)
    }
    if ('error' in built) throw built.error
    const step = built.step
    const t = ctx.now()
    const p = step.payment
    const data = paymentToJson(p) // one serialisation for the row, the key's answer and the event
    const result = await ctx.store.commit({
      accounts: paymentAccounts(p.merchantId, p.quote.currency),
      transfers: step.transfers,
      payment: {
        id: p.id,
        merchantId: p.merchantId,
        expectedVersion: p.version - 1,
        version: p.version,
        data,
      },
      idempotency: {
        merchantId,
        key,
        requestHash,
        response: data,
        createdAt: t,
        expiresAt: t + ctx.retention,
      },
      events: [eventFor(p, data, step.event, t)],
    })
    if (result.outcome === 'committed') return p
    lastError = result.error
    if (result.outcome === 'unknown') continue // the key decides: re-read it, never a blind retry
    // lost a race for the key or the payment, or nothing was written: re-read the key and retry
    if (
      result.code === 'PAYFI_IDEMPOTENCY_CONFLICT' ||
      result.code === 'PAYFI_CONCURRENT_MODIFICATION' ||
      result.code === 'PAYFI_STORAGE_FAILED'
    )
      continue
    throw result.error
  }
  if (lastError instanceof PayfiError && lastError.code !== 'PAYFI_IDEMPOTENCY_CONFLICT')
    throw lastError
  throw payfiError(
    'PAYFI_CONCURRENT_MODIFICATION',
    'The payment kept changing; retry the call with the same key.',
    {
      details: { idempotencyKey: key },
    },
  )
}

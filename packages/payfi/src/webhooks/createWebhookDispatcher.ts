import { z } from 'zod'
import { parsePayfi, payfiError } from '../errors.js'
import type { OutboxRow, PayfiStore } from '../ledger/store.js'
import { signatureHeader, signWebhook } from './signWebhook.js'

export type WebhookEndpoint = { url: string; secret: string }

export type WebhookDispatcherOptions = {
  /** Where a merchant's events go; `null` when it has none (the event waits). */
  endpoint: (merchantId: string) => WebhookEndpoint | null | Promise<WebhookEndpoint | null>
  /** Limit for one whole exchange (connect, headers, body), ms. Default 10 000. */
  timeoutMs?: number
  /** First retry delay, ms; doubles each attempt up to `maxDelayMs`. Default 1 000. */
  baseDelayMs?: number
  /** Default one hour. */
  maxDelayMs?: number
  /** After this many failures the event is parked (kept, undelivered). Default 25. */
  maxAttempts?: number
  now?: () => number
  fetch?: typeof fetch
}

const optionsSchema = z.looseObject({
  endpoint: z.function(),
  timeoutMs: z.number().int().min(1).max(600_000).optional(),
  baseDelayMs: z.number().int().min(1).optional(),
  maxDelayMs: z.number().int().min(1).optional(),
  maxAttempts: z.number().int().min(1).max(1000).optional(),
})

export type DispatchReport = { delivered: number; failed: number }

/** Parked events never come due again (they stay in the outbox for an operator). */
export const PARKED = Number.MAX_SAFE_INTEGER

/**
 * Delivers outbox events at least once: a POST of the stored raw body, signed
 * (`Payfi-Signature: t=…,v1=…`), 2xx = delivered; anything else is retried with exponential
 * backoff. Receivers de-duplicate with the event id and order with `sequence`.
 *
 * @param store - the store whose outbox to drain.
 * @param options - `{ endpoint, timeoutMs?, baseDelayMs?, maxDelayMs?, maxAttempts?, now?, fetch? }`.
 * @returns `{ runOnce }`: delivers what is due and reports the counts.
 * @example
 * ```ts
 * import { createWebhookDispatcher, openSqliteLedger } from '@btt/payfi'
 * const d = createWebhookDispatcher(openSqliteLedger(':memory:'), { endpoint: () => null })
 * await d.runOnce()
 * ```
 */
export function createWebhookDispatcher(store: PayfiStore, options: WebhookDispatcherOptions) {
  parsePayfi(optionsSchema, options, 'webhook dispatcher options')
  const now = options.now ?? Date.now
  const doFetch = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 10_000
  const base = options.baseDelayMs ?? 1_000
  const cap = options.maxDelayMs ?? 3_600_000
  const maxAttempts = options.maxAttempts ?? 25

  async function deliver(row: OutboxRow): Promise<void> {
    const merchantId = (JSON.parse(row.payload) as { merchant_id: string }).merchant_id
    const endpoint = await options.endpoint(merchantId)
    if (!endpoint)
      throw payfiError('PAYFI_WEBHOOK_DELIVERY_FAILED', 'No endpoint for this merchant.')
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      const res = await doFetch(endpoint.url, {
        method: 'POST',
        body: row.payload,
        signal,
        redirect: 'error',
        headers: {
          'content-type': 'application/json',
          [signatureHeader]: signWebhook(row.payload, endpoint.secret, Math.floor(now() / 1000)),
          'payfi-event-id': row.id,
          'payfi-sequence': String(row.objectSeq),
        },
      })
      await res.arrayBuffer() // the body is part of the exchange the timeout covers
      if (res.status < 200 || res.status > 299)
        throw payfiError('PAYFI_WEBHOOK_DELIVERY_FAILED', `The endpoint answered ${res.status}.`, {
          details: { status: res.status },
        })
    } catch (cause) {
      if (signal.aborted)
        throw payfiError('PAYFI_WEBHOOK_TIMEOUT', `No answer within ${timeoutMs} ms.`, { cause })
      throw cause
    }
  }

  return {
    async runOnce(limit = 100): Promise<DispatchReport> {
      const report = { delivered: 0, failed: 0 }
      for (const row of await store.outboxDue(now(), limit)) {
        try {
          await deliver(row)
          await store.outboxUpdate(row.id, { delivered: true, at: now() })
          report.delivered++
        } catch (error) {
          const attempts = row.attempts + 1
          const delay = Math.min(cap, base * 2 ** Math.min(attempts - 1, 40))
          await store.outboxUpdate(row.id, {
            delivered: false,
            attempts,
            nextAttemptAt: attempts >= maxAttempts ? PARKED : now() + delay,
            error: error instanceof Error ? error.message.slice(0, 500) : String(error),
          })
          report.failed++
        }
      }
      return report
    },
  }
}

import { randomBytes } from 'node:crypto'
import { defaultConfig, type EngineConfig } from '@btt/core'
import { z } from 'zod'
import { parsePayfi, payfiError } from '../errors.js'
import { parseAmount } from '../ledger/amount.js'
import { parseMetadata } from '../ledger/metadata.js'
import type { PayfiStore } from '../ledger/store.js'
import type { RateSource } from './fx.js'
import {
  authorizeStep,
  cancelStep,
  captureStep,
  createStep,
  refundStep,
  type Step,
} from './operations.js'
import { checkQuoteParameters, type QuoteParameters, quotePayment } from './quotePayment.js'
import { runIdempotent } from './runIdempotent.js'
import { type Payment, paymentFromJson } from './types.js'

export type CreatePaymentsOptions = {
  rates?: RateSource
  now?: () => number
  /** Oldest acceptable FX rate, ms (default 60 s). */
  maxRateAgeMs?: number
  /** How long idempotency keys are kept: the refund and dispute window (default 540 days). */
  idempotencyRetentionMs?: number
  config?: Pick<EngineConfig, 'fees'>
}

export type CallOptions = { idempotencyKey: string }
export type CreatePaymentParameters = QuoteParameters & { metadata?: Record<string, string> }

/** The payments API: every mutating call takes an idempotency key, every call a merchant. */
export type Payments = {
  create(merchantId: string, params: CreatePaymentParameters, call: CallOptions): Promise<Payment>
  authorize(merchantId: string, paymentId: string, call: CallOptions): Promise<Payment>
  capture(
    merchantId: string,
    paymentId: string,
    params: { amount?: bigint | string },
    call: CallOptions,
  ): Promise<Payment>
  cancel(merchantId: string, paymentId: string, call: CallOptions): Promise<Payment>
  refund(
    merchantId: string,
    paymentId: string,
    params: { amount?: bigint | string },
    call: CallOptions,
  ): Promise<Payment>
  retrieve(merchantId: string, paymentId: string): Promise<Payment>
  list(merchantId: string, options?: { limit?: number }): Promise<Payment[]>
}

const merchantSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'merchant ids are 1-64 of A-Z a-z 0-9 _ -')
const storeSchema = z.custom<PayfiStore>(
  (v) => typeof v === 'object' && v !== null && typeof (v as PayfiStore).commit === 'function',
  'a PayfiStore (openSqliteLedger or openPostgresLedger)',
)
const optionsSchema = z.strictObject({
  rates: z.function().optional(),
  now: z.function().optional(),
  maxRateAgeMs: z.number().int().min(0).optional(),
  idempotencyRetentionMs: z.number().int().min(1).optional(),
  config: z
    .object({ fees: z.object({ payfi: z.unknown() }).loose() })
    .loose()
    .optional(),
})
const amountParams = z.strictObject({ amount: z.unknown().optional() })
const DAY = 86_400_000

/**
 * Payments on top of a {@link PayfiStore}, shaped like Stripe PaymentIntents: create (with a
 * quote), authorize (a pending transfer), capture (full or partial), cancel, refund (full or
 * partial). A replayed idempotency key with the same request returns the first result; with
 * other parameters it throws `PAYFI_IDEMPOTENCY_CONFLICT`. A merchant sees only its payments.
 *
 * @param store - the SQLite or PostgreSQL store.
 * @param options - `{ rates?, now?, maxRateAgeMs?, idempotencyRetentionMs?, config? }`.
 * @returns the {@link Payments} API.
 * @example
 * ```ts
 * import { createPayments, openSqliteLedger } from '@btt/payfi'
 * const payments = createPayments(openSqliteLedger(':memory:'))
 * const p = await payments.create('clinic_1', { amount: '100.00', currency: 'CNY' }, { idempotencyKey: 'k1' })
 * ```
 */
export function createPayments(store: PayfiStore, options: CreatePaymentsOptions = {}): Payments {
  parsePayfi(storeSchema, store, 'store')
  parsePayfi(optionsSchema, options, 'payments options')
  const now = options.now ?? Date.now
  const config = options.config ?? defaultConfig
  const retention = options.idempotencyRetentionMs ?? 540 * DAY

  const idempotent = (
    merchantId: string,
    call: CallOptions,
    request: unknown,
    build: () => Promise<Step>,
  ) => runIdempotent({ store, now, retention }, merchantId, call, request, build)

  async function load(merchantId: string, paymentId: string): Promise<Payment> {
    const id = parsePayfi(z.string().min(1).max(64), paymentId, 'payment id')
    const row = await store.getPayment(id)
    if (!row || row.merchantId !== merchantId)
      throw payfiError('PAYFI_PAYMENT_NOT_FOUND', `No payment ${id}.`, {
        details: { paymentId: id },
      })
    return paymentFromJson(row.data)
  }

  const merchant = (m: unknown) => parsePayfi(merchantSchema, m, 'merchant id')
  const optionalAmount = (amount: unknown, p: Payment) =>
    amount === undefined ? undefined : parseAmount(amount, p.quote.currency)

  return {
    async create(merchantId, params, call) {
      const m = merchant(merchantId)
      const { metadata, ...quoteParams } = parsePayfi(
        z.looseObject({ metadata: z.unknown().optional() }),
        params,
        'payment',
      )
      const md = parseMetadata(metadata)
      const { amount, currency, settlement } = checkQuoteParameters(quoteParams)
      const request = {
        op: 'create',
        params: { ...quoteParams, amount, currency, settlement, metadata: md },
      }
      const id = `pay_${randomBytes(12).toString('hex')}`
      return idempotent(m, call, request, async () => {
        const quote = await quotePayment(quoteParams as QuoteParameters, {
          rates: options.rates,
          now: now(),
          maxRateAgeMs: options.maxRateAgeMs ?? 60_000,
          config,
        })
        return createStep({ id, merchantId: m, quote, metadata: md }, now())
      })
    },
    async authorize(merchantId, paymentId, call) {
      const m = merchant(merchantId)
      return idempotent(m, call, { op: 'authorize', paymentId }, async () =>
        authorizeStep(await load(m, paymentId), now()),
      )
    },
    async capture(merchantId, paymentId, params, call) {
      const m = merchant(merchantId)
      const { amount } = parsePayfi(amountParams, params ?? {}, 'amount parameters')
      return idempotent(m, call, { op: 'capture', paymentId, amount }, async () => {
        const p = await load(m, paymentId)
        return captureStep(p, optionalAmount(amount, p), now(), config)
      })
    },
    async cancel(merchantId, paymentId, call) {
      const m = merchant(merchantId)
      return idempotent(m, call, { op: 'cancel', paymentId }, async () =>
        cancelStep(await load(m, paymentId), now()),
      )
    },
    async refund(merchantId, paymentId, params, call) {
      const m = merchant(merchantId)
      const { amount } = parsePayfi(amountParams, params ?? {}, 'amount parameters')
      return idempotent(m, call, { op: 'refund', paymentId, amount }, async () => {
        const p = await load(m, paymentId)
        return refundStep(p, optionalAmount(amount, p), now())
      })
    },
    async retrieve(merchantId, paymentId) {
      return load(merchant(merchantId), paymentId)
    },
    async list(merchantId, opts = {}) {
      const limit = parsePayfi(z.number().int().min(1).max(1000).default(100), opts.limit, 'limit')
      return (await store.listPayments(merchant(merchantId), limit)).map((r) =>
        paymentFromJson(r.data),
      )
    },
  }
}

import { defaultConfig, type EngineConfig, payfiFee } from '@btt/core'
import { z } from 'zod'
import { parsePayfi, payfiError } from '../errors.js'
import { parseAmount } from '../ledger/amount.js'
import { assertCurrency } from '../ledger/currencies.js'
import { convert, type RateSource } from './fx.js'
import type { Quote } from './types.js'

const quoteSchema = z.strictObject({
  amount: z.unknown(),
  currency: z.unknown(),
  /** The merchant is paid in this currency; FX applies when it differs. Defaults to `currency`. */
  settlementCurrency: z.unknown().optional(),
  analytics: z.boolean().optional(),
  monthlyVolume: z.bigint().nonnegative().optional(),
  stakingDiscountBps: z.number().int().min(0).max(10_000).optional(),
})

export type QuoteParameters = {
  amount: bigint | string
  currency: string
  settlementCurrency?: string
  analytics?: boolean
  monthlyVolume?: bigint
  stakingDiscountBps?: number
}

export type QuoteOptions = {
  rates?: RateSource | undefined
  now?: number
  /** Oldest acceptable rate, ms. Default 60 000. */
  maxRateAgeMs?: number
  rateTimeoutMs?: number
  config?: Pick<EngineConfig, 'fees'>
}

/**
 * Quotes a payment: gross in the settlement currency (converted with a recorded rate when the
 * payer's currency differs), fee lines from @btt/core's `payfiFee`, net; `fee + net = gross`.
 *
 * @param params - `{ amount, currency, settlementCurrency?, analytics?, monthlyVolume?, stakingDiscountBps? }`.
 * @param options - `{ rates?, now?, maxRateAgeMs?, config? }`.
 * @returns the {@link Quote}.
 * @example
 * ```ts
 * import { quotePayment } from '@btt/payfi'
 * const q = await quotePayment({ amount: '100.00', currency: 'CNY' })
 * q.fee + q.net === q.gross // true
 * ```
 */
export async function quotePayment(
  params: QuoteParameters,
  options: QuoteOptions = {},
): Promise<Quote> {
  const p = parsePayfi(quoteSchema, params, 'quote parameters')
  const currency = assertCurrency(p.currency)
  const settlement = assertCurrency(p.settlementCurrency ?? currency)
  const amount = parseAmount(p.amount, currency)
  const now = options.now ?? Date.now()
  const fx =
    settlement === currency
      ? null
      : await convert(options.rates, amount, currency, settlement, {
          now,
          maxAgeMs: options.maxRateAgeMs ?? 60_000,
          timeoutMs: options.rateTimeoutMs ?? 5_000,
        })
  const gross = fx ? fx.amount : amount
  if (gross <= 0n)
    throw payfiError('PAYFI_INVALID_AMOUNT', 'The converted amount rounds to zero.', {
      details: { currency: settlement },
    })
  const feeOptions = {
    fx: fx !== null,
    analytics: p.analytics ?? false,
    monthlyVolume: p.monthlyVolume ?? 0n,
    stakingDiscountBps: p.stakingDiscountBps ?? 0,
  }
  const q = feeFor(gross, feeOptions, options.config ?? defaultConfig)
  return {
    currency: settlement,
    gross,
    fee: q.fee,
    net: q.net,
    bps: q.bps,
    lines: q.lines,
    feeOptions,
    fx,
  }
}

/** Validates quote parameters without pricing them (no rate source called). */
export function checkQuoteParameters(params: unknown) {
  const p = parsePayfi(quoteSchema, params, 'quote parameters')
  const currency = assertCurrency(p.currency)
  const settlement = assertCurrency(p.settlementCurrency ?? currency)
  const amount = parseAmount(p.amount, currency)
  return { p, currency, settlement, amount }
}

/** `payfiFee` with its failures turned into `PAYFI_INVALID_ARGUMENT`. */
export function feeFor(
  gross: bigint,
  feeOptions: Quote['feeOptions'],
  config: Pick<EngineConfig, 'fees'>,
) {
  try {
    return payfiFee(gross, feeOptions, config)
  } catch (cause) {
    throw payfiError('PAYFI_INVALID_ARGUMENT', 'The fee could not be computed for this payment.', {
      cause,
    })
  }
}

import type { Currency } from '../ledger/currencies.js'
import type { Metadata } from '../ledger/metadata.js'
import type { FxConversion } from './fx.js'

export type FeeLine = { label: string; bps: number; amount: bigint }

/** Gross, fee lines (from @btt/core's `payfiFee`) and net, in the settlement currency. */
export type Quote = {
  currency: Currency
  gross: bigint
  fee: bigint
  net: bigint
  bps: number
  lines: FeeLine[]
  /** The options `payfiFee` was called with: captures and refunds reuse them. */
  feeOptions: { fx: boolean; analytics: boolean; monthlyVolume: bigint; stakingDiscountBps: number }
  /** When the payer's currency differs: the rate used and when it was observed. */
  fx: FxConversion | null
}

export type PaymentStatus = 'created' | 'authorized' | 'captured' | 'refunded' | 'canceled'

/** A payment, shaped like a Stripe PaymentIntent. Amounts in base units of `quote.currency`. */
export type Payment = {
  id: string
  merchantId: string
  status: PaymentStatus
  quote: Quote
  amountAuthorized: bigint
  amountCaptured: bigint
  feeCaptured: bigint
  amountRefunded: bigint
  feeRefunded: bigint
  refunds: number
  metadata: Metadata
  /** Per-payment sequence: +1 at every change; webhook events carry it. */
  version: number
  createdAt: number
  updatedAt: number
}

/** Serialises with bigints as decimal strings (lossless JSON). */
export function paymentToJson(p: Payment): string {
  return JSON.stringify(p, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
}

const bigKeys = new Set([
  'gross',
  'fee',
  'net',
  'amount',
  'sourceAmount',
  'monthlyVolume',
  'amountAuthorized',
  'amountCaptured',
  'feeCaptured',
  'amountRefunded',
  'feeRefunded',
])

export function paymentFromJson(json: string): Payment {
  return JSON.parse(json, (k, v) => (bigKeys.has(k) && typeof v === 'string' ? BigInt(v) : v))
}

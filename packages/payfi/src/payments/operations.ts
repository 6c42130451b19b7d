import type { EngineConfig } from '@btt/core'
import { payfiError } from '../errors.js'
import type { Currency } from '../ledger/currencies.js'
import type { AccountInput, Leg, TransferInput } from '../ledger/types.js'
import type { OutboxEvent } from '../ledger/unit.js'
import { feeFor } from './quotePayment.js'
import type { Payment } from './types.js'

/** The ledger accounts a payment touches. */
export const accountIds = {
  /** Funds arriving from the payer's side (card scheme, bank, wallet); may go negative. */
  clearing: (c: Currency) => `clearing:${c}`,
  /** What the platform owes the merchant; never negative. */
  merchant: (merchantId: string, c: Currency) => `merchant:${merchantId}:${c}`,
  /** Platform fee revenue; never negative. The hot account every capture touches. */
  fees: (c: Currency) => `fees:${c}`,
}

export function paymentAccounts(merchantId: string, c: Currency): AccountInput[] {
  return [
    { id: accountIds.clearing(c), currency: c },
    {
      id: accountIds.merchant(merchantId, c),
      currency: c,
      flags: { debitsMustNotExceedCredits: true },
    },
    { id: accountIds.fees(c), currency: c, flags: { debitsMustNotExceedCredits: true } },
  ]
}

/** The change an operation makes: the new payment, its ledger transfers, its event. */
export type Step = { payment: Payment; transfers: TransferInput[]; event: string }

const legs = (list: Leg[]) => list.filter((l) => l.amount > 0n)

function meta(p: Payment, operation: string) {
  return { ...p.metadata, payment_id: p.id, merchant_id: p.merchantId, operation }
}

function next(p: Payment, now: number, patch: Partial<Payment>): Payment {
  return { ...p, ...patch, version: p.version + 1, updatedAt: now }
}

function requireStatus(p: Payment, allowed: Payment['status'][], op: string) {
  if (!allowed.includes(p.status))
    throw payfiError('PAYFI_INVALID_STATE', `Cannot ${op} a payment that is ${p.status}.`, {
      details: { paymentId: p.id, status: p.status, operation: op },
    })
}

/** A new payment, status `created`, version 1. */
export function createStep(
  p: Pick<Payment, 'id' | 'merchantId' | 'quote' | 'metadata'>,
  now: number,
): Step {
  const payment: Payment = {
    ...p,
    status: 'created',
    amountAuthorized: 0n,
    amountCaptured: 0n,
    feeCaptured: 0n,
    amountRefunded: 0n,
    feeRefunded: 0n,
    refunds: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  }
  return { payment, transfers: [], event: 'payment.created' }
}

export function authorizeStep(p: Payment, now: number): Step {
  requireStatus(p, ['created'], 'authorize')
  const c = p.quote.currency
  const transfer: TransferInput = {
    id: `${p.id}:authorize`,
    pending: true,
    legs: legs([
      {
        debit: accountIds.clearing(c),
        credit: accountIds.merchant(p.merchantId, c),
        amount: p.quote.net,
      },
      { debit: accountIds.clearing(c), credit: accountIds.fees(c), amount: p.quote.fee },
    ]),
    metadata: meta(p, 'authorize'),
  }
  return {
    payment: next(p, now, { status: 'authorized', amountAuthorized: p.quote.gross }),
    transfers: [transfer],
    event: 'payment.authorized',
  }
}

export function captureStep(
  p: Payment,
  amount: bigint | undefined,
  now: number,
  config: Pick<EngineConfig, 'fees'>,
): Step {
  requireStatus(p, ['authorized'], 'capture')
  const a = amount ?? p.amountAuthorized
  if (a > p.amountAuthorized)
    throw payfiError(
      'PAYFI_CAPTURE_EXCEEDS_AUTHORIZED',
      `Capture of ${a} exceeds the authorized ${p.amountAuthorized}.`,
      {
        details: {
          paymentId: p.id,
          amount: a.toString(),
          authorized: p.amountAuthorized.toString(),
        },
      },
    )
  const q = feeFor(a, p.quote.feeOptions, config)
  const amounts = [q.net, q.fee].filter((_, i) => (i === 0 ? p.quote.net > 0n : p.quote.fee > 0n))
  return {
    payment: next(p, now, { status: 'captured', amountCaptured: a, feeCaptured: q.fee }),
    transfers: [
      { id: `${p.id}:capture`, post: `${p.id}:authorize`, amounts, metadata: meta(p, 'capture') },
    ],
    event: 'payment.captured',
  }
}

export function cancelStep(p: Payment, now: number): Step {
  requireStatus(p, ['created', 'authorized'], 'cancel')
  const transfers: TransferInput[] =
    p.status === 'authorized'
      ? [{ id: `${p.id}:cancel`, void: `${p.id}:authorize`, metadata: meta(p, 'cancel') }]
      : []
  return { payment: next(p, now, { status: 'canceled' }), transfers, event: 'payment.canceled' }
}

/**
 * Refunds `amount` (default: all that is left). The fee is returned pro rata, cumulatively:
 * after refunds totalling R of a capture C with fee F, `floor(F × R / C)` of the fee has been
 * returned, so a full refund returns the whole fee and every account is back where it was.
 */
export function refundStep(p: Payment, amount: bigint | undefined, now: number): Step {
  requireStatus(p, ['captured'], 'refund')
  const left = p.amountCaptured - p.amountRefunded
  const r = amount ?? left
  if (r > left)
    throw payfiError(
      'PAYFI_REFUND_EXCEEDS_CAPTURED',
      `Refund of ${r} exceeds the ${left} left to refund.`,
      {
        details: { paymentId: p.id, amount: r.toString(), refundable: left.toString() },
      },
    )
  const refunded = p.amountRefunded + r
  const feeRefunded = (p.feeCaptured * refunded) / p.amountCaptured
  const feeDelta = feeRefunded - p.feeRefunded
  const c = p.quote.currency
  const n = p.refunds + 1
  return {
    payment: next(p, now, {
      status: refunded === p.amountCaptured ? 'refunded' : 'captured',
      amountRefunded: refunded,
      feeRefunded,
      refunds: n,
    }),
    transfers: [
      {
        id: `${p.id}:refund:${n}`,
        legs: legs([
          {
            debit: accountIds.merchant(p.merchantId, c),
            credit: accountIds.clearing(c),
            amount: r - feeDelta,
          },
          { debit: accountIds.fees(c), credit: accountIds.clearing(c), amount: feeDelta },
        ]),
        metadata: meta(p, 'refund'),
      },
    ],
    event: 'payment.refunded',
  }
}

/** The webhook event announcing a payment's new state; written with it in one transaction. */
export function eventFor(p: Payment, data: string, type: string, now: number): OutboxEvent {
  const id = `evt_${p.id}_${p.version}`
  const payload = `{"id":${JSON.stringify(id)},"type":${JSON.stringify(type)},"created":${now},"merchant_id":${JSON.stringify(p.merchantId)},"sequence":${p.version},"data":${data}}`
  return { id, objectId: p.id, objectSeq: p.version, type, payload, createdAt: now }
}

import {
  BttError,
  type BttErrorOptions,
  defineErrorCodes,
  type ErrorCodeTable,
  type ErrorKind,
  parseWithCode,
} from '@btt/core'
import type { z } from 'zod'

/** @btt/payfi's closed table of codes: code → kind and what it means. */
export const payfiErrorCodes = defineErrorCodes({
  PAYFI_INVALID_ARGUMENT: {
    kind: 'invalid_input',
    description: 'An argument or request body has the wrong type, range or shape.',
  },
  PAYFI_INVALID_AMOUNT: {
    kind: 'invalid_input',
    description:
      'An amount is negative, zero, fractional, beyond its currency precision or too large.',
  },
  PAYFI_UNKNOWN_CURRENCY: {
    kind: 'invalid_input',
    description: 'The currency is not one the ledger knows (CNY, USD, HKD, BTT, POINTS).',
  },
  PAYFI_METADATA_REFUSED: {
    kind: 'invalid_input',
    description:
      'Metadata or a field that could carry patient data was refused: only allow-listed keys with opaque identifier values are kept.',
  },
  PAYFI_ACCOUNT_NOT_FOUND: { kind: 'not_found', description: 'A ledger account does not exist.' },
  PAYFI_TRANSFER_NOT_FOUND: {
    kind: 'not_found',
    description: 'A transfer (or the pending transfer to post or void) does not exist.',
  },
  PAYFI_PAYMENT_NOT_FOUND: {
    kind: 'not_found',
    description: 'The payment does not exist or belongs to another merchant (never told apart).',
  },
  PAYFI_ID_CONFLICT: {
    kind: 'conflict',
    description: 'An account or transfer id was reused with different content.',
  },
  PAYFI_IDEMPOTENCY_CONFLICT: {
    kind: 'conflict',
    description: 'An idempotency key was reused with different request parameters.',
  },
  PAYFI_CURRENCY_MISMATCH: {
    kind: 'invalid_input',
    description: 'The two accounts of a leg, or a payment and its operation, differ in currency.',
  },
  PAYFI_SAME_ACCOUNT: {
    kind: 'invalid_input',
    description: 'A leg debits and credits the same account.',
  },
  PAYFI_EXCEEDS_CREDITS: {
    kind: 'conflict',
    description:
      'The debit would take an account flagged debits_must_not_exceed_credits below zero (insufficient funds).',
  },
  PAYFI_EXCEEDS_DEBITS: {
    kind: 'conflict',
    description:
      'The credit would take an account flagged credits_must_not_exceed_debits beyond its debits.',
  },
  PAYFI_AMOUNT_OVERFLOW: {
    kind: 'conflict',
    description: 'A balance would exceed 2^128 - 1 base units.',
  },
  PAYFI_NOT_PENDING: {
    kind: 'conflict',
    description: 'Post or void names a transfer that is not pending.',
  },
  PAYFI_PENDING_ALREADY_RESOLVED: {
    kind: 'conflict',
    description: 'The pending transfer was already posted or voided (exactly once).',
  },
  PAYFI_POST_EXCEEDS_PENDING: {
    kind: 'invalid_input',
    description: 'A post asks for more than the pending amount of a leg.',
  },
  PAYFI_INVALID_STATE: {
    kind: 'conflict',
    description: 'The payment is not in a state that allows this (e.g. capture after cancel).',
  },
  PAYFI_CAPTURE_EXCEEDS_AUTHORIZED: {
    kind: 'invalid_input',
    description: 'A capture asks for more than the authorized amount.',
  },
  PAYFI_REFUND_EXCEEDS_CAPTURED: {
    kind: 'invalid_input',
    description: 'A refund asks for more than what is captured and not yet refunded.',
  },
  PAYFI_CONCURRENT_MODIFICATION: {
    kind: 'conflict',
    description: 'The payment kept changing under concurrent calls; the call can be retried.',
  },
  PAYFI_RATE_UNAVAILABLE: {
    kind: 'unavailable',
    description: 'The FX rate source failed or has no rate for the pair.',
  },
  PAYFI_RATE_STALE: {
    kind: 'unavailable',
    description: 'The FX rate is older than the allowed age.',
  },
  PAYFI_OUTCOME_UNKNOWN: {
    kind: 'unavailable',
    description:
      'The connection was lost while committing; look the transfer id up (resolveOutcome) before anything else.',
  },
  PAYFI_STORAGE_FAILED: {
    kind: 'io',
    description: 'The database refused or failed a read or write.',
  },
  PAYFI_NOT_A_LEDGER: {
    kind: 'conflict',
    description: "The database file holds another program's data, not a ledger; it is not touched.",
  },
  PAYFI_CLOSED: { kind: 'unavailable', description: 'The store was closed.' },
  PAYFI_UNAUTHORIZED: {
    kind: 'unauthorized',
    description: 'The API key is missing, unknown or revoked.',
  },
  PAYFI_WEBHOOK_SIGNATURE_INVALID: {
    kind: 'integrity',
    description: 'The webhook signature header is missing, malformed or does not match the body.',
  },
  PAYFI_WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE: {
    kind: 'integrity',
    description: 'The webhook timestamp is outside the tolerance window (a replay?).',
  },
  PAYFI_WEBHOOK_DELIVERY_FAILED: {
    kind: 'unavailable',
    description: 'The endpoint did not answer 2xx; the event stays in the outbox for a retry.',
  },
  PAYFI_WEBHOOK_TIMEOUT: {
    kind: 'timeout',
    description: 'The endpoint did not finish the exchange in the time allowed.',
  },
  PAYFI_CHAIN_UNAVAILABLE: {
    kind: 'unavailable',
    description: 'The EVM node could not be reached or answered with an error.',
  },
  PAYFI_CHAIN_TIMEOUT: {
    kind: 'timeout',
    description: 'An RPC call or a confirmation did not finish in the time allowed.',
  },
  PAYFI_CHAIN_REVERTED: {
    kind: 'conflict',
    description: 'A transaction reverted on chain (the contract error is in details).',
  },
  PAYFI_INVALID_KEY: {
    kind: 'invalid_input',
    description: 'A private key file does not hold one 32-byte hex key.',
  },
  PAYFI_LOSSY_CONVERSION: {
    kind: 'invalid_input',
    description:
      'A ledger amount cannot be expressed exactly in the settlement asset (its decimals are fewer).',
  },
  PAYFI_STATEMENT_INVALID: {
    kind: 'integrity',
    description:
      'A compute epoch statement does not add up (totals) or its content hash does not match.',
  },
  PAYFI_RECONCILE_MISMATCH: {
    kind: 'integrity',
    description:
      'Reconciliation found a difference between the chain and the ledger (listed in details).',
  },
  PAYFI_DEPLOYMENT_EXISTS: {
    kind: 'conflict',
    description: 'The deployment file exists already; it is not overwritten.',
  },
})

export type PayfiErrorCode = keyof typeof payfiErrorCodes

/** The error @btt/payfi throws; `code` is one of {@link payfiErrorCodes}. */
export class PayfiError extends BttError<PayfiErrorCode> {
  static override codes: ErrorCodeTable = payfiErrorCodes
  override name = 'PayfiError'
}

/** The one place error kinds become HTTP statuses. */
export const httpStatusByKind: Readonly<Record<ErrorKind, number>> = Object.freeze({
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  integrity: 422,
  unavailable: 503,
  timeout: 504,
  io: 500,
  internal: 500,
})

/**
 * HTTP status for an error kind.
 *
 * @param kind - the error's kind.
 * @returns the status code.
 * @example
 * ```ts
 * import { httpStatusOf } from '@btt/payfi'
 * httpStatusOf('conflict') // 409
 * ```
 */
export function httpStatusOf(kind: ErrorKind): number {
  return httpStatusByKind[kind]
}

/** Parses with zod; a failure throws `PayfiError(code)` with every issue in `details.issues`. */
export function parsePayfi<S extends z.ZodType>(
  schema: S,
  value: unknown,
  subject: string,
  code: PayfiErrorCode = 'PAYFI_INVALID_ARGUMENT',
): z.output<S> {
  return parseWithCode(schema, value, subject, PayfiError, code)
}

/** Shorthand used across the package. */
export function payfiError(
  code: PayfiErrorCode,
  message: string,
  options?: BttErrorOptions,
): PayfiError {
  return new PayfiError(code, message, options)
}

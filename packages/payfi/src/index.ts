/**
 * Payments, the double-entry ledger, webhooks. Explicit exports only; index.test.ts snapshots the
 * list. One block per area; keep each block sorted.
 *
 * @packageDocumentation
 * @module @btt/payfi
 */

// Errors
export {
  httpStatusByKind,
  httpStatusOf,
  PayfiError,
  type PayfiErrorCode,
  payfiErrorCodes,
} from './errors.js'

// HTTP API
export { authenticate, createApiKey, hashApiKey } from './http/apiKeys.js'
export { createPayfiServer, type PayfiServerOptions } from './http/createPayfiServer.js'

// Ledger
export { parseAmount } from './ledger/amount.js'
export { assertCurrency, type Currency, currencies, MAX_AMOUNT } from './ledger/currencies.js'
export {
  type Metadata,
  type MetadataKey,
  metadataKeys,
  parseMetadata,
} from './ledger/metadata.js'
export { resolveOutcome } from './ledger/resolveOutcome.js'
export {
  type OpenSqliteLedgerOptions,
  openSqliteLedger,
} from './ledger/sqlite/openSqliteLedger.js'
export type {
  OutboxRow,
  OutboxUpdate,
  PayfiStore,
  StoredPayment,
} from './ledger/store.js'
export type {
  Account,
  AccountFlags,
  AccountInput,
  Balance,
  EntryInput,
  Ledger,
  Leg,
  PostInput,
  Transfer,
  TransferInput,
  TransferQuery,
  TransferType,
  VoidInput,
  WriteResult,
} from './ledger/types.js'
export type { CommitUnit } from './ledger/unit.js'

// Payments
export {
  type CallOptions,
  type CreatePaymentParameters,
  type CreatePaymentsOptions,
  createPayments,
  type Payments,
} from './payments/createPayments.js'
export { type FxConversion, type FxRate, fixedRates, type RateSource } from './payments/fx.js'
export { accountIds } from './payments/operations.js'
export { type QuoteOptions, type QuoteParameters, quotePayment } from './payments/quotePayment.js'
export type { FeeLine, Payment, PaymentStatus, Quote } from './payments/types.js'

// Settlement, compute epoch statements, reconciliation
export { type ReconcileOptions, reconcile } from './reconcile/reconcile.js'
export type { Difference, ReconcileReport } from './reconcile/types.js'
export { settlementIds } from './settlement/accounts.js'
export { type ConvertUnitsParameters, convertUnits } from './settlement/convert.js'
export {
  createSettlement,
  type Settlement,
  type SettlementRun,
} from './settlement/createSettlement.js'
export { type SettlementOptions, settlementDefaults } from './settlement/options.js'
export {
  createSimulatedChain,
  type SimulatedChain,
  type SimulatedChainParameters,
} from './settlement/simulatedChain.js'
export {
  type BatchOnChain,
  type BatchOutcome,
  type ChainBatch,
  type ChainPayout,
  type PayoutEvent,
  type SettlementAsset,
  type SettlementChain,
  type SettlementStep,
  settlementSteps,
} from './settlement/types.js'
export {
  type EpochStatement,
  epochStatementHash,
  epochStatementSchema,
  parseEpochStatement,
} from './statements/epochStatement.js'
export { settleEpoch } from './statements/settleEpoch.js'

// Webhooks
export {
  createWebhookDispatcher,
  type DispatchReport,
  PARKED,
  type WebhookDispatcherOptions,
  type WebhookEndpoint,
} from './webhooks/createWebhookDispatcher.js'
export { signatureHeader, signWebhook } from './webhooks/signWebhook.js'
export { type VerifyWebhookOptions, verifyWebhook } from './webhooks/verifyWebhook.js'

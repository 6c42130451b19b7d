import { expect, test } from 'vitest'
import * as payfi from './index.js'
import * as postgres from './postgres/index.js'

test('exports', () => {
  expect(Object.keys(payfi).sort()).toMatchInlineSnapshot(`
    [
      "MAX_AMOUNT",
      "PARKED",
      "PayfiError",
      "accountIds",
      "assertCurrency",
      "authenticate",
      "convertUnits",
      "createApiKey",
      "createPayfiServer",
      "createPayments",
      "createSettlement",
      "createSimulatedChain",
      "createWebhookDispatcher",
      "currencies",
      "epochStatementHash",
      "epochStatementSchema",
      "fixedRates",
      "hashApiKey",
      "httpStatusByKind",
      "httpStatusOf",
      "metadataKeys",
      "openSqliteLedger",
      "parseAmount",
      "parseEpochStatement",
      "parseMetadata",
      "payfiErrorCodes",
      "quotePayment",
      "reconcile",
      "resolveOutcome",
      "settleEpoch",
      "settlementDefaults",
      "settlementIds",
      "settlementSteps",
      "signWebhook",
      "signatureHeader",
      "verifyWebhook",
    ]
  `)
  expect(Object.keys(postgres).sort()).toMatchInlineSnapshot(`
    [
      "openPostgresLedger",
      "postgresSchema",
    ]
  `)
})

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
      "createApiKey",
      "createPayfiServer",
      "createPayments",
      "createWebhookDispatcher",
      "currencies",
      "fixedRates",
      "hashApiKey",
      "httpStatusByKind",
      "httpStatusOf",
      "metadataKeys",
      "openSqliteLedger",
      "parseAmount",
      "parseMetadata",
      "payfiErrorCodes",
      "quotePayment",
      "resolveOutcome",
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

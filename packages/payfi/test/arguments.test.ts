import { expect, test } from 'vitest'
import {
  createPayfiServer,
  createPayments,
  createWebhookDispatcher,
  fixedRates,
  openSqliteLedger,
  parseAmount,
  parseMetadata,
  quotePayment,
  resolveOutcome,
} from '../src/index.js'
import { openPostgresLedger } from '../src/postgres/index.js'

// Types do not exist at run time: every exported function checks what it is given.
test('exported functions refuse wrong arguments with a coded error', async () => {
  const store = openSqliteLedger(':memory:')
  const code = (f: () => unknown) => {
    try {
      f()
    } catch (error) {
      return (error as { code?: string }).code
    }
    return 'no error'
  }
  expect(code(() => openSqliteLedger(':memory:', { maxBatch: 0 }))).toBe('PAYFI_INVALID_ARGUMENT')
  expect(code(() => openSqliteLedger(42 as never))).toBe('PAYFI_INVALID_ARGUMENT')
  expect(code(() => createPayments({} as never))).toBe('PAYFI_INVALID_ARGUMENT')
  expect(code(() => createPayments(store, { maxRateAgeMs: -1 }))).toBe('PAYFI_INVALID_ARGUMENT')
  expect(code(() => createPayments(store, { typo: true } as never))).toBe('PAYFI_INVALID_ARGUMENT')
  expect(code(() => createPayfiServer({ store, payments: {} as never }))).toBe(
    'PAYFI_INVALID_ARGUMENT',
  )
  expect(code(() => createWebhookDispatcher(store, { endpoint: 'x' as never }))).toBe(
    'PAYFI_INVALID_ARGUMENT',
  )
  expect(code(() => fixedRates({ 'USD/CNY': 7.1 as never }))).toBe('PAYFI_INVALID_ARGUMENT')
  expect(code(() => parseAmount(Number.NaN, 'CNY'))).toBe('PAYFI_INVALID_AMOUNT')
  expect(code(() => parseAmount(1n, 'cny'))).toBe('PAYFI_UNKNOWN_CURRENCY')
  expect(code(() => parseMetadata(['order_id']))).toBe('PAYFI_METADATA_REFUSED')
  await expect(openPostgresLedger({ connectionString: '' })).rejects.toMatchObject({
    code: 'PAYFI_INVALID_ARGUMENT',
  })
  await expect(resolveOutcome(store, [])).rejects.toMatchObject({ code: 'PAYFI_INVALID_ARGUMENT' })
  await expect(
    quotePayment({ amount: 1n, currency: 'CNY', stakingDiscountBps: 1.5 }),
  ).rejects.toMatchObject({ code: 'PAYFI_INVALID_ARGUMENT' })
  await expect(store.balanceAt('a', -1)).rejects.toMatchObject({ code: 'PAYFI_INVALID_ARGUMENT' })
  await expect(store.queryTransfers({ limit: 0 })).rejects.toMatchObject({
    code: 'PAYFI_INVALID_ARGUMENT',
  })
  await store.close()
  await expect(store.getAccount('a')).rejects.toMatchObject({ code: 'PAYFI_CLOSED' })
})

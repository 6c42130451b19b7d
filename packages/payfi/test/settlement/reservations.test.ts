import { expect, test } from 'vitest'
import { openSqliteLedger, settlementIds } from '../../src/index.js'
import { settlementReservations } from '../../src/settlement/inFlightBatches.js'

test('every reservation is found past one page of 10,000 (recover and reconcile read them all)', async () => {
  let t = 1_000
  const store = openSqliteLedger(':memory:', { now: () => (t += 1) })
  await store.createAccounts([
    { id: 'merchant:m:CNY', currency: 'CNY' },
    { id: settlementIds.chainPayouts('CNY'), currency: 'CNY' },
  ])
  const n = 10_050
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      store.write({
        id: settlementIds.reserve(`b${i}.CNY.0`),
        pending: true,
        legs: [{ debit: 'merchant:m:CNY', credit: settlementIds.chainPayouts('CNY'), amount: 1n }],
        metadata: { settlement_id: `b${i}.CNY.0`, operation: 'settlement' },
      }),
    ),
  )
  expect(results.every((r) => r.outcome === 'committed')).toBe(true)
  const found = await settlementReservations(store)
  expect(found).toHaveLength(n)
  expect(new Set(found.map((f) => f.id)).size).toBe(n)
  await store.close()
}, 60_000)

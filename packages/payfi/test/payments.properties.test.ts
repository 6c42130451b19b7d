import fc from 'fast-check'
import { expect, test } from 'vitest'
import { accountIds, createPayments, openSqliteLedger, quotePayment } from '../src/index.js'

test('quotes: fee + net = gross, fee never above gross, for any amount and options', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.bigInt({ min: 1n, max: 10n ** 30n }),
      fc.boolean(),
      fc.bigInt({ min: 0n, max: 10n ** 12n }),
      fc.integer({ min: 0, max: 10_000 }),
      async (amount, analytics, monthlyVolume, stakingDiscountBps) => {
        const q = await quotePayment({
          amount,
          currency: 'BTT',
          analytics,
          monthlyVolume,
          stakingDiscountBps,
        })
        expect(q.fee + q.net).toBe(q.gross)
        expect(q.fee >= 0n && q.fee <= q.gross).toBe(true)
        expect(q.lines.reduce((s, l) => s + l.amount, 0n)).toBe(q.fee)
      },
    ),
    { numRuns: 300 },
  )
})

test('capture and refunds: every step balances, no account goes negative, a full refund restores every balance', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.bigInt({ min: 1n, max: 10n ** 12n }),
      fc.integer({ min: 1, max: 1000 }),
      fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 0, maxLength: 5 }),
      async (gross, capturePermille, refundWeights) => {
        const store = openSqliteLedger(':memory:')
        const pay = createPayments(store)
        const p = await pay.create('m', { amount: gross, currency: 'CNY' }, { idempotencyKey: 'c' })
        await pay.authorize('m', p.id, { idempotencyKey: 'a' })
        const captured = (gross * BigInt(capturePermille)) / 1000n || 1n
        const c = await pay.capture('m', p.id, { amount: captured }, { idempotencyKey: 'cap' })
        expect(c.feeCaptured <= p.quote.fee).toBe(true)
        let left = captured
        for (const [i, w] of refundWeights.entries()) {
          const r = (left * BigInt(w)) / 1000n
          if (r === 0n) continue
          const after = await pay.refund('m', p.id, { amount: r }, { idempotencyKey: `r${i}` })
          left -= r
          expect(after.feeRefunded <= after.feeCaptured).toBe(true)
        }
        if (left > 0n) await pay.refund('m', p.id, {}, { idempotencyKey: 'rest' })
        for (const id of [
          accountIds.clearing('CNY'),
          accountIds.merchant('m', 'CNY'),
          accountIds.fees('CNY'),
        ]) {
          const a = (await store.getAccount(id))!
          expect(a.debitsPending + a.creditsPending).toBe(0n)
          expect(a.creditsPosted - a.debitsPosted, id).toBe(0n)
        }
        const final = await pay.retrieve('m', p.id)
        expect([final.status, final.amountRefunded, final.feeRefunded]).toEqual([
          'refunded',
          captured,
          c.feeCaptured,
        ])
        await store.close()
      },
    ),
    { numRuns: 60 },
  )
})

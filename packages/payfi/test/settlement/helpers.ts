import {
  accountIds,
  type Currency,
  createPayments,
  type Ledger,
  type PayfiStore,
  settlementIds,
} from '../../src/index.js'

/** Captures one payment per entry (create → authorize → capture); returns each payment's net. */
export async function capturePayments(
  store: PayfiStore,
  list: { merchant: string; amount: bigint; currency?: Currency }[],
  tag = 'p',
): Promise<Map<string, bigint>> {
  const pay = createPayments(store)
  const net = new Map<string, bigint>()
  for (const [i, x] of list.entries()) {
    const k = `${tag}${i}`
    const p = await pay.create(
      x.merchant,
      { amount: x.amount, currency: x.currency ?? 'CNY' },
      { idempotencyKey: `${k}c` },
    )
    await pay.authorize(x.merchant, p.id, { idempotencyKey: `${k}a` })
    const c = await pay.capture(x.merchant, p.id, {}, { idempotencyKey: `${k}k` })
    net.set(x.merchant, (net.get(x.merchant) ?? 0n) + c.amountCaptured - c.feeCaptured)
  }
  return net
}

/** What a merchant may still pay out: posted credits less posted and pending debits. */
export async function owed(ledger: Ledger, merchant: string, c: Currency = 'CNY') {
  const a = await ledger.getAccount(accountIds.merchant(merchant, c))
  return a ? a.creditsPosted - a.debitsPosted - a.debitsPending : 0n
}

export async function chainPayouts(ledger: Ledger, c: Currency = 'CNY') {
  const a = await ledger.getAccount(settlementIds.chainPayouts(c))
  return { posted: a?.creditsPosted ?? 0n, pending: a?.creditsPending ?? 0n }
}

/** Deterministic distinct addresses for payees. */
export const addressOf = (i: number) => `0x${(0xa000 + i).toString(16).padStart(40, '0')}`

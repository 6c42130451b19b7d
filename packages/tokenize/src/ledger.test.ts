import { openSqliteLedger } from '@btt/payfi'
import { expect, test } from 'vitest'
import { TokenizeError } from './errors.js'
import { withPendingFee } from './ledger.js'

const entry = {
  id: 'tokenize:mint:x',
  currency: 'CNY' as const,
  legs: [{ debit: 'tokenize:issuer:a:CNY', credit: 'tokenize:fees:minting:CNY', amount: 500n }],
  metadata: { operation: 'tokenize.mint', asset_id: 'x' },
}

test('a fee is posted only when the chain work succeeded', async () => {
  const ledger = openSqliteLedger(':memory:')
  try {
    expect(await withPendingFee(ledger, entry, 'test', async () => 'done')).toBe('done')
    const fees = await ledger.getAccount('tokenize:fees:minting:CNY')
    expect(fees).toMatchObject({ creditsPosted: 500n, creditsPending: 0n })
  } finally {
    await ledger.close()
  }
})

test('a fee whose chain work failed is voided: nothing charged, the work error reported', async () => {
  const ledger = openSqliteLedger(':memory:')
  try {
    const failure = new TokenizeError('TOKENIZE_CHAIN_REVERTED', 'reverted')
    await expect(withPendingFee(ledger, entry, 'test', () => Promise.reject(failure))).rejects.toBe(
      failure,
    )
    const fees = await ledger.getAccount('tokenize:fees:minting:CNY')
    expect(fees).toMatchObject({ creditsPosted: 0n, creditsPending: 0n })
    expect((await ledger.lookupTransfer(`${entry.id}:void`))?.type).toBe('void')
  } finally {
    await ledger.close()
  }
})

test('a ledger that refuses the fee stops the work before it starts', async () => {
  const ledger = openSqliteLedger(':memory:')
  try {
    let ran = false
    const bad = { ...entry, metadata: { operation: 'has spaces' } }
    const e = await withPendingFee(ledger, bad, 'test', async () => {
      ran = true
    }).catch((x) => x)
    expect(e.code).toBe('TOKENIZE_LEDGER_FAILED')
    expect(ran).toBe(false)
  } finally {
    await ledger.close()
  }
})

test('a zero fee writes nothing and still runs the work', async () => {
  const ledger = openSqliteLedger(':memory:')
  try {
    const zero = { ...entry, legs: [{ ...entry.legs[0]!, amount: 0n }] }
    expect(await withPendingFee(ledger, zero, 'test', async () => 1)).toBe(1)
    expect(await ledger.queryTransfers({})).toEqual([])
  } finally {
    await ledger.close()
  }
})

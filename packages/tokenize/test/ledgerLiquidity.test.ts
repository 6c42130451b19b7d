import { openSqliteLedger } from '@btt/payfi'
import { expect, test } from 'vitest'
import { accrueLiquidityFee, tokenizeAccounts } from '../src/index.js'

test('a year of liquidity fees: one entry per day, collected once, recording it again charges nothing more', async () => {
  const ledger = openSqliteLedger(':memory:')
  try {
    const dailyBalances = Array.from({ length: 365 }, (_, i) => 1_000_000_00n + BigInt(i) * 12_345n)
    const firstDay = Date.UTC(2026, 0, 1)
    const run = () =>
      accrueLiquidityFee(ledger, {
        poolId: 'pool-a',
        currency: 'CNY',
        firstDay,
        dailyBalances,
        annualBps: 150,
      })
    const { fee, daily } = await run()
    expect(daily.reduce((a, b) => a + b, 0n)).toBe(fee.fee)
    const entries = await ledger.queryTransfers({
      metadata: { operation: 'tokenize.liquidity.accrue' },
      limit: 1000,
    })
    expect(entries).toHaveLength(365)
    await run() // the same period again: replayed, not charged twice
    const collected = await ledger.getAccount(tokenizeAccounts.fees('liquidity', 'CNY'))
    expect(collected?.creditsPosted).toBe(fee.fee)
    expect((await ledger.getAccount(tokenizeAccounts.pool('pool-a', 'CNY')))?.debitsPosted).toBe(
      fee.fee,
    )
    const accrued = await ledger.getAccount(tokenizeAccounts.accrued('pool-a', 'CNY'))
    expect(accrued?.creditsPosted).toBe(accrued?.debitsPosted)
  } finally {
    await ledger.close()
  }
})

test('a rate outside the schedule and an empty period are refused with codes, nothing written', async () => {
  const ledger = openSqliteLedger(':memory:')
  try {
    const high = await accrueLiquidityFee(ledger, {
      poolId: 'p',
      currency: 'CNY',
      firstDay: 0,
      dailyBalances: [1n],
      annualBps: 900,
    }).catch((e) => e)
    expect(high.code).toBe('TOKENIZE_INVALID_ARGUMENT')
    const empty = await accrueLiquidityFee(ledger, {
      poolId: 'p',
      currency: 'CNY',
      firstDay: 0,
      dailyBalances: [],
    }).catch((e) => e)
    expect(empty.code).toBe('TOKENIZE_INVALID_ARGUMENT')
    expect(await ledger.queryTransfers({})).toEqual([])
  } finally {
    await ledger.close()
  }
})

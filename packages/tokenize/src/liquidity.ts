import { allocate, type EngineConfig, type FeeQuote, liquidityManagementFee } from '@btt/core'
import type { Currency, EntryInput, Ledger } from '@btt/payfi'
import { z } from 'zod'
import { zId } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'
import { postEntries, tokenizeAccounts } from './ledger.js'

export type LiquidityAccrualsReturnType = {
  /** The period's fee (core's `liquidityManagementFee`: rounded once, half up). */
  fee: FeeQuote
  /** Each day's share of the fee, by its balance, largest remainder: sums exactly to `fee.fee`. */
  daily: bigint[]
}

/**
 * The liquidity-management fee of a period accrued per day exactly: the period's fee split over
 * its days in proportion to each day's balance (largest remainder), so the days sum to the fee
 * and each is within one unit of its exact share.
 *
 * @param parameters - `{ dailyBalances, annualBps? }`, one end-of-day balance per day.
 * @returns the fee and the daily accruals.
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT` (also for a rate outside the schedule).
 * @example
 * ```ts
 * import { liquidityAccruals } from '@btt/tokenize'
 * liquidityAccruals({ dailyBalances: [1_000_000n, 3_000_000n], annualBps: 150 }).daily // [4n, 12n]
 * ```
 */
export function liquidityAccruals(
  parameters: { dailyBalances: bigint[]; annualBps?: number },
  config?: EngineConfig,
): LiquidityAccrualsReturnType {
  const p = parseTokenize(
    z.strictObject({
      dailyBalances: z.array(z.bigint().nonnegative()).min(1).max(3660),
      annualBps: z.number().int().min(0).max(10_000).optional(),
    }),
    parameters,
    'liquidity period',
  )
  let fee: FeeQuote
  try {
    fee = liquidityManagementFee(
      p.annualBps === undefined ? { dailyBalances: p.dailyBalances } : p,
      config,
    )
  } catch (cause) {
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      `Liquidity fee refused: ${(cause as Error).message}`,
      {
        cause,
        details: { annualBps: p.annualBps ?? null },
      },
    )
  }
  const total = p.dailyBalances.reduce((a, b) => a + b, 0n)
  const daily = total === 0n ? p.dailyBalances.map(() => 0n) : allocate(fee.fee, p.dailyBalances)
  return { fee, daily }
}

const DAY = 86_400_000

/**
 * Records a period's liquidity-management fee in the ledger, one entry per day (the pool pays,
 * the pool's accrued account receives), then collects the accrued total into the platform's fee
 * account. Entry ids are derived from the pool and the days, so recording a period again is a
 * no-op, never a double charge.
 *
 * @param ledger - the PayFi ledger.
 * @param parameters - `{ poolId, currency, firstDay (ms, UTC midnight), dailyBalances, annualBps? }`.
 * @returns the fee, the daily accruals and the collection entry id.
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT`, `TOKENIZE_LEDGER_FAILED`.
 */
export async function accrueLiquidityFee(
  ledger: Ledger,
  parameters: {
    poolId: string
    currency: Currency
    firstDay: number
    dailyBalances: bigint[]
    annualBps?: number
  },
  config?: EngineConfig,
): Promise<LiquidityAccrualsReturnType & { collection: string }> {
  const p = parseTokenize(
    z.strictObject({
      poolId: zId,
      currency: z.enum(['CNY', 'USD', 'HKD', 'BTT', 'POINTS']),
      firstDay: z.number().int().nonnegative().multipleOf(DAY),
      dailyBalances: z.array(z.bigint()),
      annualBps: z.number().optional(),
    }),
    parameters,
    'liquidity accrual',
  )
  const { fee, daily } = liquidityAccruals(
    p.annualBps === undefined
      ? { dailyBalances: p.dailyBalances }
      : { dailyBalances: p.dailyBalances, annualBps: p.annualBps },
    config,
  )
  const pool = tokenizeAccounts.pool(p.poolId, p.currency)
  const accrued = tokenizeAccounts.accrued(p.poolId, p.currency)
  const day = (i: number) => new Date(p.firstDay + i * DAY).toISOString().slice(0, 10)
  const entries: EntryInput[] = daily.flatMap((amount, i) =>
    amount === 0n
      ? []
      : [
          {
            id: `tokenize:liquidity:${p.poolId}:${day(i)}`,
            legs: [{ debit: pool, credit: accrued, amount }],
            metadata: { operation: 'tokenize.liquidity.accrue' },
          },
        ],
  )
  for (let i = 0; i < entries.length; i += 64)
    await postEntries(
      ledger,
      p.currency,
      entries.slice(i, i + 64),
      `accruing the liquidity fee of ${p.poolId}`,
    )
  const collection = `tokenize:liquidity-collect:${p.poolId}:${day(0)}:${day(daily.length - 1)}`
  if (fee.fee > 0n)
    await postEntries(
      ledger,
      p.currency,
      [
        {
          id: collection,
          legs: [
            {
              debit: accrued,
              credit: tokenizeAccounts.fees('liquidity', p.currency),
              amount: fee.fee,
            },
          ],
          metadata: { operation: 'tokenize.liquidity.collect' },
        },
      ],
      `collecting the liquidity fee of ${p.poolId}`,
    )
  return { fee, daily, collection }
}

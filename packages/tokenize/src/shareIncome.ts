import { allocate } from '@btt/core'
import { z } from 'zod'
import { zAddress } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'

export type Holding = { holder: string; balance: bigint }
export type IncomeShare = Holding & { amount: bigint }

/**
 * Splits income over holdings pro rata, exactly: largest remainder, so the shares sum to `total`
 * to the unit and each is the floor of its exact value or one more (what the distributor
 * contract checks). Holders with a zero balance are left out; the result is sorted by address,
 * ascending, as the contract requires.
 *
 * @param total - income, settlement base units, positive.
 * @param holdings - balances at the record block.
 * @returns one share per holder with a balance.
 * @throws {TokenizeError} `TOKENIZE_NO_HOLDERS` when no holder has a balance;
 * `TOKENIZE_INVALID_ARGUMENT` for a duplicate holder or a bad amount.
 * @example
 * ```ts
 * import { shareIncome } from '@btt/tokenize'
 * shareIncome(100n, [
 *   { holder: '0x0000000000000000000000000000000000000001', balance: 1n },
 *   { holder: '0x0000000000000000000000000000000000000002', balance: 2n },
 * ]).map((s) => s.amount) // [33n, 67n]
 * ```
 */
export function shareIncome(total: bigint, holdings: Holding[]): IncomeShare[] {
  const p = parseTokenize(
    z.strictObject({
      total: z.bigint().positive(),
      holdings: z.array(z.strictObject({ holder: zAddress, balance: z.bigint().nonnegative() })),
    }),
    { total, holdings },
    'distribution',
  )
  const held = p.holdings
    .filter((h) => h.balance > 0n)
    .map((h) => ({ holder: h.holder.toLowerCase(), balance: h.balance }))
    .sort((a, b) => (a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0))
  if (held.length === 0)
    throw new TokenizeError(
      'TOKENIZE_NO_HOLDERS',
      'No holder has a balance: there is no one to pay.',
      {
        details: { holders: p.holdings.length },
      },
    )
  for (let i = 1; i < held.length; i++)
    if (held[i]!.holder === held[i - 1]!.holder)
      throw new TokenizeError(
        'TOKENIZE_INVALID_ARGUMENT',
        `Holder ${held[i]!.holder} is listed twice.`,
        {
          details: { holder: held[i]!.holder },
        },
      )
  const amounts = allocate(
    p.total,
    held.map((h) => h.balance),
  )
  return held.map((h, i) => ({ ...h, amount: amounts[i]! }))
}

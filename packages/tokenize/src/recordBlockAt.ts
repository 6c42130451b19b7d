import { z } from 'zod'
import { read } from './chain.js'
import type { Tokenization } from './context.js'
import { parseTokenize, TokenizeError } from './errors.js'

/**
 * The record block of a record date: the last block mined at or before `date` (binary search over
 * block timestamps), so a distribution "to holders of record on 30 June" pays the balances at the
 * end of that block.
 *
 * @param t - any context (reads only).
 * @param parameters - `{ date }`, ms since the epoch.
 * @returns the block number.
 * @throws {TokenizeError} `TOKENIZE_INVALID_ARGUMENT` for a date before the first block or not yet
 * past; `TOKENIZE_CHAIN_*`.
 */
export async function recordBlockAt(
  t: Pick<Tokenization, 'chain'>,
  parameters: { date: number },
): Promise<number> {
  const { date } = parseTokenize(
    z.strictObject({ date: z.number().int().nonnegative() }),
    parameters,
    'record date',
  )
  const seconds = Math.floor(date / 1000)
  const time = async (n: number) => {
    const block = await read(`reading block ${n}`, () => t.chain.provider.getBlock(n))
    return block?.timestamp ?? Number.POSITIVE_INFINITY
  }
  const latest = await read('reading the block number', () => t.chain.provider.getBlockNumber())
  if ((await time(latest)) <= seconds)
    throw new TokenizeError('TOKENIZE_INVALID_ARGUMENT', 'The record date is not past yet.', {
      details: { date, latest },
    })
  if ((await time(0)) > seconds)
    throw new TokenizeError(
      'TOKENIZE_INVALID_ARGUMENT',
      'The record date is before the chain began.',
      {
        details: { date },
      },
    )
  let lo = 0 // time(lo) <= seconds
  let hi = latest // time(hi) > seconds
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if ((await time(mid)) <= seconds) lo = mid
    else hi = mid
  }
  return lo
}

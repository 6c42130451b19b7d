import { z } from 'zod'
import { parsePayfi } from '../errors.js'
import type { Ledger, Transfer } from './types.js'

export type ResolvedOutcome =
  | { outcome: 'committed'; transfers: Transfer[] }
  | { outcome: 'absent' }

/**
 * Resolves an `unknown` write by looking its transfer ids up, never by writing again: every id
 * found → committed; none → absent (nothing was committed; writing the same ids again is safe,
 * since a retried id is a no-op). Some but not all cannot happen: a write is one transaction.
 *
 * @param ledger - the ledger written to.
 * @param transferIds - the ids of the write.
 * @returns committed (with the transfers) or absent.
 * @example
 * ```ts
 * import { openSqliteLedger, resolveOutcome } from '@btt/payfi'
 * await resolveOutcome(openSqliteLedger(':memory:'), ['t1']) // { outcome: 'absent' }
 * ```
 */
export async function resolveOutcome(
  ledger: Ledger,
  transferIds: string[],
): Promise<ResolvedOutcome> {
  const ids = parsePayfi(z.array(z.string().min(1)).min(1), transferIds, 'transfer ids')
  const found = await Promise.all(ids.map((id) => ledger.lookupTransfer(id)))
  const transfers = found.filter((t): t is Transfer => t !== null)
  return transfers.length === ids.length
    ? { outcome: 'committed', transfers }
    : { outcome: 'absent' }
}

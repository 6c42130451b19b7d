import type { AccountInput, Currency, EntryInput, Ledger, Leg, Metadata } from '@btt/payfi'
import { TokenizeError } from './errors.js'

/**
 * Ledger account ids of tokenization, one per party and currency: issuers (asset owners) owe
 * minting and revaluation fees, investors pay and receive trades, pools pay liquidity fees, and
 * the platform's fee accounts collect them; `burned` counts what trades burned.
 */
export const tokenizeAccounts = {
  issuer: (owner: string, currency: Currency) =>
    `tokenize:issuer:${owner.toLowerCase()}:${currency}`,
  investor: (wallet: string, currency: Currency) =>
    `tokenize:investor:${wallet.toLowerCase()}:${currency}`,
  pool: (poolId: string, currency: Currency) => `tokenize:pool:${poolId}:${currency}`,
  accrued: (poolId: string, currency: Currency) => `tokenize:accrued:${poolId}:${currency}`,
  fees: (kind: 'minting' | 'trading' | 'revaluation' | 'liquidity', currency: Currency) =>
    `tokenize:fees:${kind}:${currency}`,
  burned: (currency: Currency) => `tokenize:burned:${currency}`,
} as const

function refused(doing: string, result: unknown, cause?: unknown): TokenizeError {
  const r = result as { outcome?: string; code?: string } | undefined
  return new TokenizeError(
    'TOKENIZE_LEDGER_FAILED',
    `The ledger did not commit while ${doing} (${r?.outcome ?? 'error'}${r?.code ? ` ${r.code}` : ''}).`,
    {
      cause: cause ?? (r as { error?: unknown } | undefined)?.error,
      details: { doing, outcome: r?.outcome ?? 'error' },
    },
  )
}

async function commit(doing: string, write: () => Promise<unknown>): Promise<void> {
  let result: unknown
  try {
    result = await write()
  } catch (error) {
    throw refused(doing, undefined, error)
  }
  if ((result as { outcome: string }).outcome !== 'committed') throw refused(doing, result)
}

/** Creates the accounts of some legs (each in `currency`), then writes the entries as one linked write. */
export async function postEntries(
  ledger: Ledger,
  currency: Currency,
  entries: EntryInput[],
  doing: string,
): Promise<void> {
  const ids = new Set(entries.flatMap((e) => e.legs.flatMap((l) => [l.debit, l.credit])))
  const accounts: AccountInput[] = [...ids].map((id) => ({ id, currency }))
  await commit(doing, () => ledger.createAccounts(accounts))
  await commit(doing, () => ledger.write(entries))
}

const owned: readonly string[] = ['TOKENIZE_ALREADY_SETTLED', 'TOKENIZE_ASSET_EXISTS']

/**
 * Runs `work` between a pending fee entry and its resolution: the fee is reserved first (nothing
 * is sent if the ledger refuses), posted when the work succeeded, voided when it failed, so a
 * fee is never charged for chain work that did not happen. Entry ids are derived from the work
 * (the trade id, the asset), so concurrent calls for the same work share one entry: a call that
 * loses the race (the chain says it was done already) leaves the entry to the one that won.
 */
export async function withPendingFee<T>(
  ledger: Ledger,
  entry: { id: string; currency: Currency; legs: Leg[]; metadata: Metadata },
  doing: string,
  work: () => Promise<T>,
): Promise<T> {
  const legs = entry.legs.filter((l) => l.amount > 0n)
  if (legs.length === 0) return work()
  await postEntries(
    ledger,
    entry.currency,
    [{ id: entry.id, legs, pending: true, metadata: entry.metadata }],
    doing,
  )
  let value: T
  try {
    value = await work()
  } catch (error) {
    // another call with the same entry did (or is doing) the work: the entry is theirs to post
    if (error instanceof TokenizeError && owned.includes(error.code)) throw error
    await commit(doing, () =>
      ledger.write({ id: `${entry.id}:void`, void: entry.id, metadata: entry.metadata }),
    ).catch(() => undefined) // the work's error is the one to report; a pending entry stays visible
    throw error
  }
  await commit(doing, () =>
    ledger.write({ id: `${entry.id}:post`, post: entry.id, metadata: entry.metadata }),
  )
  return value
}

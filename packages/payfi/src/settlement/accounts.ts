import type { Currency } from '../ledger/currencies.js'
import type { AccountInput } from '../ledger/types.js'

/** The ledger accounts and entry ids of settlement. */
export const settlementIds = {
  /**
   * Money paid out on chain, per currency: pending credits are batches in flight (reserved, not
   * yet confirmed), posted credits are batches confirmed on chain. Reconciliation compares its
   * posted credits with the chain's BatchPaid totals.
   */
  chainPayouts: (c: Currency) => `chain_payouts:${c}`,
  /** What a compute node is owed, per currency (BTT for emission). */
  node: (address: string, c: Currency) => `node:${address.toLowerCase()}:${c}`,
  /** Compute revenue collected for nodes (funded by the caller); emission is minted from `emission:BTT`. */
  computeRevenue: (c: Currency) => `compute_revenue:${c}`,
  emission: () => 'emission:BTT',
  /** The pending entry reserving a batch, its post and its void. */
  reserve: (batchId: string) => `stl:${batchId}`,
  post: (batchId: string) => `stl:${batchId}:post`,
  void: (batchId: string) => `stl:${batchId}:void`,
}

export function chainPayoutsAccount(c: Currency): AccountInput {
  return { id: settlementIds.chainPayouts(c), currency: c }
}

/** The merchant id and currency of `merchant:<id>:<CCY>`, or the address of `node:<addr>:<CCY>`. */
export function payeeOf(
  account: string,
): { kind: 'merchant'; merchantId: string } | { kind: 'node'; address: string } | null {
  const m = /^merchant:(.+):([A-Z]+)$/.exec(account)
  if (m) return { kind: 'merchant', merchantId: m[1]! }
  const n = /^node:(0x[0-9a-f]{40}):([A-Z]+)$/.exec(account)
  if (n) return { kind: 'node', address: n[1]! }
  return null
}

/** Most legs in one ledger entry (the ledger's limit), so most payouts in one batch. */
export const MAX_BATCH_PAYOUTS = 16

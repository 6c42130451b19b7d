import type { Currency } from '../ledger/currencies.js'

/** The ERC-20 (or simulated token) that settles one ledger currency. */
export type SettlementAsset = {
  /** Token address (0x…40 hex). */
  token: string
  /** The token's decimals; ledger minor units are converted exactly or refused. */
  decimals: number
}

/** One payout of a batch as the chain sees it: recipient and amount in the asset's base units. */
export type ChainPayout = { to: string; amount: bigint }

/** What is sent to the chain for one batch. */
export type ChainBatch = { batchId: string; token: string; payouts: readonly ChainPayout[] }

/** Where a batch stands on the chain, as of the latest block. */
export type BatchOnChain =
  | { paid: false }
  | {
      paid: true
      transactionHash: string
      blockNumber: number
      /** 1 when the including block is the latest. */
      depth: number
    }

/** A `BatchPaid` event with the transfers it made, for reconciliation. */
export type PayoutEvent = {
  /** The chain's key for the batch id (see {@link SettlementChain.batchKey}). */
  batchKey: string
  token: string
  total: bigint
  /** What the operator's balance moved into the payout contract for the batch. */
  funded: bigint
  transfers: ChainPayout[]
  transactionHash: string
  blockNumber: number
}

/**
 * What settlement needs from a chain. Two implementations: the EVM one (`@btt/payfi/evm`,
 * `createEvmSettlementChain`: ethers v6 and the BatchPayout contract) and
 * `createSimulatedChain` (in-process, labelled simulated: no real chain, no real funds).
 */
export interface SettlementChain {
  /** Shown wherever the chain is used, e.g. `evm chain 31337` or `SIMULATED chain (in-process)`. */
  readonly label: string
  readonly simulated: boolean
  /** The chain's key for a batch id (the BatchPayout contract uses keccak256 of the string). */
  batchKey(batchId: string): string
  /**
   * Sends the batch and answers once the node accepted the transaction (not mined). A batch id is
   * paid at most once by the chain, so sending it again is safe. `resend`: an earlier transaction
   * for it vanished (dropped, replaced, reorged out); the nonce is re-read from the node.
   */
  send(batch: ChainBatch, options?: { resend?: boolean }): Promise<{ transactionHash: string }>
  inspect(batchId: string): Promise<BatchOnChain>
  /** Whether the node still knows the transaction (in its pool or mined on the current chain). */
  transactionKnown(transactionHash: string): Promise<boolean>
  /** Whether the operator has transactions in the pool that are not mined yet. */
  hasPendingTransactions(): Promise<boolean>
  /** Every BatchPaid event of the payout contract, oldest first. */
  payoutEvents(): Promise<PayoutEvent[]>
  balanceOf(token: string, address: string): Promise<bigint>
}

/** The named steps of a settlement run, in order; a hook may stop at any (fault tests). */
export const settlementSteps = ['reserved', 'sent', 'mined', 'confirmed', 'posted'] as const
export type SettlementStep = (typeof settlementSteps)[number]

/** One payout of a batch in ledger terms. */
export type PlannedPayout = {
  /** The ledger account paid from, e.g. `merchant:m_1:CNY` or `node:0xabc…:CNY`. */
  account: string
  to: string
  /** Ledger minor units. */
  amount: bigint
  /** Asset base units (exact conversion of `amount`). */
  assetAmount: bigint
}

/** One batch: one pending ledger entry, one chain transaction. */
export type PlannedBatch = {
  batchId: string
  currency: Currency
  token: string
  payouts: PlannedPayout[]
  /** Extra allow-listed metadata for the entry (e.g. `epoch_id`). */
  epochId?: string
}

/** What happened to a batch in this call. */
export type BatchOutcome = {
  batchId: string
  currency: Currency
  status: 'posted' | 'voided' | 'in_flight'
  /** Ledger minor units. */
  total: bigint
  payouts: number
  transactionHash: string | null
  /** Times the batch was sent (more than 1 after a drop or a reorg). */
  sends: number
}

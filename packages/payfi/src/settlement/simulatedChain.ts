import { createHash } from 'node:crypto'
import { z } from 'zod'
import { parsePayfi, payfiError } from '../errors.js'
import type { BatchOnChain, ChainBatch, PayoutEvent, SettlementChain } from './types.js'

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/)

export type SimulatedChainParameters = {
  /** The operator's address (whose tokens the batches pay). */
  operator: string
  /** Mine a block on every `inspect` as well as on every send, so confirmations come (default true). */
  autoMine?: boolean
}

/** A simulated chain: the {@link SettlementChain} interface plus the controls tests and the demo use. */
export type SimulatedChain = SettlementChain & {
  /** Credits `amount` of `token` to `to` at genesis (outside any block: a reorg keeps it). */
  fund(token: string, to: string, amount: bigint): void
  mine(blocks?: number): void
  /** Removes a transaction from the pool (as `anvil_dropTransaction`); mined ones are kept. */
  drop(transactionHash: string): void
  /** Drops the last `depth` blocks with their transactions (they do not come back to the pool). */
  reorg(depth: number): void
  setAutoMine(on: boolean): void
  readonly height: number
}

type Tx = { hash: string; batch: ChainBatch; block: number | null }
type Genesis = { token: string; to: string; amount: bigint }

/** Replays genesis and every mined transaction, oldest first: balances and paid batches. */
function replay(
  genesis: Genesis[],
  txs: Map<string, Tx>,
  operator: string,
  key: (batchId: string) => string,
) {
  const balances = new Map<string, bigint>()
  const k = (t: string, a: string) => `${t.toLowerCase()}/${a.toLowerCase()}`
  const add = (t: string, a: string, v: bigint) =>
    balances.set(k(t, a), (balances.get(k(t, a)) ?? 0n) + v)
  for (const g of genesis) add(g.token, g.to, g.amount)
  const paid = new Map<string, Tx>()
  const mined = [...txs.values()].filter((t) => t.block !== null)
  mined.sort((a, b) => a.block! - b.block!)
  for (const tx of mined) {
    const bk = key(tx.batch.batchId)
    const total = tx.batch.payouts.reduce((s, x) => s + x.amount, 0n)
    if (paid.has(bk) || (balances.get(k(tx.batch.token, operator)) ?? 0n) < total) continue // reverted
    paid.set(bk, tx)
    add(tx.batch.token, operator, -total)
    for (const x of tx.batch.payouts) add(tx.batch.token, x.to, x.amount)
  }
  return { balances: (t: string, a: string) => balances.get(k(t, a)) ?? 0n, paid }
}

function eventOf(tx: Tx, key: (batchId: string) => string): PayoutEvent {
  return {
    batchKey: key(tx.batch.batchId),
    token: tx.batch.token,
    total: tx.batch.payouts.reduce((s, x) => s + x.amount, 0n),
    funded: tx.batch.payouts.reduce((s, x) => s + x.amount, 0n),
    transfers: tx.batch.payouts.map((x) => ({ to: x.to, amount: x.amount })),
    transactionHash: tx.hash,
    blockNumber: tx.block!,
  }
}

/**
 * An in-process simulated chain for the embedded demo and tests: batches are paid at most once
 * per batch id, blocks, depth, drops and reorgs behave as on an EVM node. It is labelled
 * `SIMULATED` in `label` and `simulated: true`: nothing here is on a real chain.
 *
 * @param parameters - `{ operator, autoMine? }`.
 * @returns a {@link SimulatedChain}.
 * @throws {PayfiError} `PAYFI_INVALID_ARGUMENT`.
 * @example
 * ```ts
 * import { createSimulatedChain } from '@btt/payfi'
 * const chain = createSimulatedChain({ operator: '0x' + '11'.repeat(20) })
 * chain.label // 'SIMULATED chain (in-process, no real funds)'
 * ```
 */
export function createSimulatedChain(parameters: SimulatedChainParameters): SimulatedChain {
  const p = parsePayfi(
    z.strictObject({ operator: address, autoMine: z.boolean().optional() }),
    parameters,
    'simulated chain',
  )
  const operator = p.operator.toLowerCase()
  let autoMine = p.autoMine ?? true
  let height = 0
  let nonce = 0
  const genesis: Genesis[] = []
  const txs = new Map<string, Tx>()
  const key = (batchId: string) =>
    `0x${createHash('sha256').update(`batch:${batchId}`).digest('hex')}`

  const state = () => replay(genesis, txs, operator, key)

  const mine = (blocks = 1) => {
    for (let i = 0; i < blocks; i++) {
      height += 1
      for (const tx of txs.values()) if (tx.block === null) tx.block = height
    }
  }

  const chain: SimulatedChain = {
    label: 'SIMULATED chain (in-process, no real funds)',
    simulated: true,
    batchKey: key,
    get height() {
      return height
    },
    fund(token, to, amount) {
      genesis.push({ token, to, amount })
    },
    mine,
    drop(hash) {
      const tx = txs.get(hash)
      if (tx && tx.block === null) txs.delete(hash)
    },
    reorg(depth) {
      height = Math.max(0, height - depth)
      for (const [h, tx] of txs) if (tx.block !== null && tx.block > height) txs.delete(h)
    },
    setAutoMine(on) {
      autoMine = on
    },
    async send(batch) {
      const s = state()
      const total = batch.payouts.reduce((sum, x) => sum + x.amount, 0n)
      const why = s.paid.has(key(batch.batchId))
        ? 'BatchAlreadyPaid'
        : s.balances(batch.token, operator) < total
          ? 'ERC20InsufficientBalance'
          : null
      if (why)
        throw payfiError(
          'PAYFI_CHAIN_REVERTED',
          `Simulated chain refused ${batch.batchId}: ${why}.`,
          {
            details: { doing: `paying batch ${batch.batchId}`, revert: why },
          },
        )
      nonce += 1
      const hash = `0x${createHash('sha256').update(`tx:${nonce}:${batch.batchId}`).digest('hex')}`
      txs.set(hash, { hash, batch: structuredClone(batch), block: null })
      if (autoMine) mine()
      return { transactionHash: hash }
    },
    async inspect(batchId): Promise<BatchOnChain> {
      if (autoMine) mine()
      const tx = state().paid.get(key(batchId))
      if (!tx || tx.block === null) return { paid: false }
      return {
        paid: true,
        transactionHash: tx.hash,
        blockNumber: tx.block,
        depth: height - tx.block + 1,
      }
    },
    async transactionKnown(hash) {
      return txs.has(hash)
    },
    async hasPendingTransactions() {
      return [...txs.values()].some((t) => t.block === null)
    },
    async payoutEvents(): Promise<PayoutEvent[]> {
      return [...state().paid.values()]
        .sort((a, b) => a.block! - b.block!)
        .map((tx) => eventOf(tx, key))
    },
    async balanceOf(token, who) {
      return state().balances(token, who)
    },
  }
  return chain
}

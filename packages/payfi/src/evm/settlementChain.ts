import { Contract, Interface, type JsonRpcProvider, MaxUint256 } from 'ethers'
import { z } from 'zod'
import { PayfiError, parsePayfi } from '../errors.js'
import type { BatchOnChain, ChainBatch, PayoutEvent, SettlementChain } from '../settlement/types.js'
import { contractArtifact } from './artifacts.js'
import { chainError } from './deployBtt.js'
import { getLogsPaged } from './getLogsPaged.js'
import { batchKey } from './payoutBatch.js'
import type { SerialSigner } from './serialSigner.js'

export type EvmSettlementChainParameters = {
  provider: JsonRpcProvider
  /** The operator: owner of the BatchPayout contract, whose tokens are paid out. */
  address: string
  /** The library's nonce manager for the operator's key; without it the chain is read-only. */
  signer?: SerialSigner
  batchPayout: string
  /** For the label (`evm chain 31337`); a `ChainConnection` carries it. */
  chainId?: bigint
  /** First block to read events from (the contract's deployment block; default 0). */
  fromBlock?: number
  /** Seconds to wait for an approval to be mined (default 120). */
  waitSeconds?: number
  /** Blocks per `eth_getLogs` call (default 10,000; providers limit the range). */
  logsBlockRange?: number
}

const addr = z.string().regex(/^0x[0-9a-fA-F]{40}$/)
const schema = z.object({
  provider: z.custom<JsonRpcProvider>((v) => typeof v === 'object' && v !== null, 'a provider'),
  address: addr,
  signer: z.unknown().optional(),
  batchPayout: addr,
  chainId: z.bigint().optional(),
  fromBlock: z.number().int().nonnegative().optional(),
  waitSeconds: z.number().positive().max(3600).optional(),
  logsBlockRange: z.number().int().min(1).max(1_000_000).optional(),
})

const erc20 = new Interface(contractArtifact('TestStablecoin').abi as never)
const payoutAbi = contractArtifact('BatchPayout').abi as never
const payoutInterface = new Interface(payoutAbi)

/**
 * The {@link SettlementChain} on an EVM node, through the BatchPayout contract: sends batches
 * with the library's one nonce manager, reads `paid(batchKey)` and the BatchPaid event for depth,
 * and lists BatchPaid events with their ERC-20 Transfers for reconciliation.
 *
 * @param parameters - provider, operator address, signer (omit for read-only), contract.
 * @returns a {@link SettlementChain} labelled `evm chain <id>`.
 * @throws {PayfiError} `PAYFI_INVALID_ARGUMENT`; its calls `PAYFI_CHAIN_REVERTED`,
 * `PAYFI_CHAIN_TIMEOUT`, `PAYFI_CHAIN_UNAVAILABLE`.
 */
export function createEvmSettlementChain(
  parameters: EvmSettlementChainParameters,
): SettlementChain {
  parsePayfi(schema, parameters, 'EVM settlement chain')
  const { provider, address, signer, batchPayout } = parameters
  const fromBlock = parameters.fromBlock ?? 0
  const step = parameters.logsBlockRange ?? 10_000
  const waitMs = (parameters.waitSeconds ?? 120) * 1000
  const reader = new Contract(batchPayout, payoutAbi, provider)
  const paidTopic = payoutInterface.getEvent('BatchPaid')!.topicHash
  const read = async <T>(doing: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f()
    } catch (error) {
      throw chainError(error, doing)
    }
  }
  return {
    label: parameters.chainId === undefined ? 'evm chain' : `evm chain ${parameters.chainId}`,
    simulated: false,
    batchKey,
    send: (batch, options) =>
      read(`paying batch ${batch.batchId}`, async () => {
        if (!signer)
          throw new PayfiError(
            'PAYFI_INVALID_ARGUMENT',
            'This EVM settlement chain is read-only (no signer).',
            {
              details: { batchId: batch.batchId },
            },
          )
        if (options?.resend) signer.reset() // the vanished transaction's nonce is free again
        await approveIfNeeded(signer, address, batchPayout, batch, waitMs)
        const payout = new Contract(batchPayout, payoutAbi, signer)
        const tx = await payout.getFunction('payout')(
          batchKey(batch.batchId),
          batch.token,
          batch.payouts.map((x) => x.to),
          batch.payouts.map((x) => x.amount),
        )
        return { transactionHash: tx.hash as string }
      }),
    inspect: (batchId) =>
      read(`reading batch ${batchId}`, async (): Promise<BatchOnChain> => {
        const latest = await provider.getBlockNumber()
        const paid = (await reader.getFunction('paid')(batchKey(batchId), {
          blockTag: latest,
        })) as boolean
        if (!paid) return { paid: false }
        const logs = await getLogsPaged(
          provider,
          { address: batchPayout, topics: [paidTopic, batchKey(batchId)] },
          { fromBlock, toBlock: latest, step, newestFirst: true },
        )
        const log = logs.at(-1)
        if (!log) return { paid: false }
        return {
          paid: true,
          transactionHash: log.transactionHash,
          blockNumber: log.blockNumber,
          depth: latest - log.blockNumber + 1,
        }
      }),
    transactionKnown: (hash) =>
      read(`looking up ${hash}`, async () => {
        const tx = await provider.getTransaction(hash)
        if (!tx) return false
        if (tx.blockNumber === null) return true
        const receipt = await provider.getTransactionReceipt(hash)
        return receipt === null || receipt.status === 1
      }),
    hasPendingTransactions: () =>
      read('reading the pool', async () => {
        const [pending, latest] = await Promise.all([
          provider.getTransactionCount(address, 'pending'),
          provider.getTransactionCount(address, 'latest'),
        ])
        return pending > latest
      }),
    payoutEvents: () =>
      read('reading payout events', () =>
        payoutEvents(provider, batchPayout, paidTopic, { fromBlock, step }),
      ),
    balanceOf: (token, who) =>
      read(
        `reading a balance of ${token}`,
        async () =>
          (await new Contract(token, erc20, provider).getFunction('balanceOf')(who)) as bigint,
      ),
  }
}

async function approveIfNeeded(
  signer: SerialSigner,
  owner: string,
  spender: string,
  batch: ChainBatch,
  waitMs: number,
) {
  const total = batch.payouts.reduce((s, x) => s + x.amount, 0n)
  const token = new Contract(batch.token, erc20, signer)
  const allowance = (await token.getFunction('allowance')(owner, spender)) as bigint
  if (allowance >= total) return
  await (await token.getFunction('approve')(spender, MaxUint256)).wait(1, waitMs)
}

async function payoutEvents(
  provider: JsonRpcProvider,
  batchPayout: string,
  paidTopic: string,
  range: { fromBlock: number; step: number },
): Promise<PayoutEvent[]> {
  const toBlock = await provider.getBlockNumber()
  const logs = await getLogsPaged(
    provider,
    { address: batchPayout, topics: [paidTopic] },
    { ...range, toBlock },
  )
  const out: PayoutEvent[] = []
  for (const log of logs) {
    const ev = payoutInterface.parseLog(log)!
    const token = (ev.args.getValue('token') as string).toLowerCase()
    const receipt = await provider.getTransactionReceipt(log.transactionHash)
    const moves = (receipt?.logs ?? [])
      .filter((l) => l.address.toLowerCase() === token && l.index < log.index)
      .map((l) => erc20.parseLog(l))
      .filter((p) => p?.name === 'Transfer')
      .map((p) => ({
        from: (p!.args.getValue('from') as string).toLowerCase(),
        to: p!.args.getValue('to') as string,
        amount: p!.args.getValue('value') as bigint,
      }))
    const contract = batchPayout.toLowerCase()
    const transfers = moves
      .filter((m) => m.from === contract)
      .map((m) => ({ to: m.to, amount: m.amount }))
    // what the operator moved into the contract for this batch (pulled once, then paid out)
    const funded = moves
      .filter((m) => m.to.toLowerCase() === contract)
      .reduce((sum, m) => sum + m.amount, 0n)
    out.push({
      batchKey: ev.args.getValue('batchId') as string,
      token: ev.args.getValue('token') as string,
      total: ev.args.getValue('total') as bigint,
      funded,
      transfers,
      transactionHash: log.transactionHash,
      blockNumber: log.blockNumber,
    })
  }
  return out
}

import { id as keccakId, MaxUint256 } from 'ethers'
import { z } from 'zod'
import { PayfiError } from '../errors.js'
import type { ChainConnection } from './connect.js'
import { attach, chainError } from './deployBtt.js'

export type PayoutBatchParameters = {
  /** The BatchPayout contract. */
  batchPayout: string
  /** The ERC-20 paid (the settlement asset, or BTT for emission). */
  token: string
  /** Stable id of the batch (e.g. the settlement run's id): the chain pays each id once. */
  batchId: string
  payouts: readonly { to: string; amount: bigint }[]
  /** Blocks on top of the one that includes the transaction (default 1). */
  confirmations?: number
  /** Seconds to wait for the confirmations (default 120). */
  timeoutSeconds?: number
}

export type PayoutBatchReturnType = {
  transactionHash: string
  blockNumber: number
  blockHash: string
  gasUsed: bigint
}

const schema = z.strictObject({
  batchPayout: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  token: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  batchId: z.string().min(1).max(200),
  payouts: z
    .array(
      z.strictObject({
        to: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
        amount: z.bigint().positive(),
      }),
    )
    .min(1)
    .max(500),
  confirmations: z.number().int().min(1).max(100).optional(),
  timeoutSeconds: z.number().positive().max(3600).optional(),
})

/** The on-chain id of a batch: keccak256 of its string id. */
export const batchKey = (batchId: string): string => keccakId(batchId)

/**
 * Pays many recipients in one transaction through the BatchPayout contract, after making sure it
 * may pull the total from the signer. The contract refuses a batch id it has paid, so sending a
 * batch again after an unknown outcome never pays twice (check `isBatchPaid` first to tell
 * "already paid" from a failure).
 *
 * @throws {PayfiError} `PAYFI_INVALID_ARGUMENT`, `PAYFI_CHAIN_REVERTED` (e.g. `BatchAlreadyPaid`),
 * `PAYFI_CHAIN_TIMEOUT`, `PAYFI_CHAIN_UNAVAILABLE`.
 */
export async function payoutBatch(
  chain: ChainConnection,
  parameters: PayoutBatchParameters,
): Promise<PayoutBatchReturnType> {
  const parsed = schema.safeParse(parameters)
  if (!parsed.success)
    throw new PayfiError('PAYFI_INVALID_ARGUMENT', 'Invalid payout batch.', {
      details: {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    })
  const p = parsed.data
  const total = p.payouts.reduce((sum, x) => sum + x.amount, 0n)
  const token = attach(chain, 'TestStablecoin', p.token) // any ERC-20 ABI will do for allowance/approve
  const payout = attach(chain, 'BatchPayout', p.batchPayout)
  try {
    const allowance = (await token.getFunction('allowance')(chain.address, p.batchPayout)) as bigint
    if (allowance < total)
      await (await token.getFunction('approve')(p.batchPayout, MaxUint256)).wait(
        1,
        chain.waitSeconds * 1000,
      )
    const tx = await payout.getFunction('payout')(
      batchKey(p.batchId),
      p.token,
      p.payouts.map((x) => x.to),
      p.payouts.map((x) => x.amount),
    )
    const receipt = await tx.wait(p.confirmations ?? 1, (p.timeoutSeconds ?? 120) * 1000)
    if (!receipt || receipt.status !== 1)
      throw new PayfiError('PAYFI_CHAIN_REVERTED', `Batch ${p.batchId} reverted.`, {
        details: { batchId: p.batchId, transactionHash: tx.hash },
      })
    return {
      transactionHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash,
      gasUsed: receipt.gasUsed,
    }
  } catch (error) {
    throw chainError(error, `paying batch ${p.batchId}`)
  }
}

/** Whether the BatchPayout contract has paid this batch id (as of the latest block). */
export async function isBatchPaid(
  chain: ChainConnection,
  parameters: { batchPayout: string; batchId: string },
): Promise<boolean> {
  try {
    return (await attach(chain, 'BatchPayout', parameters.batchPayout).getFunction('paid')(
      batchKey(parameters.batchId),
    )) as boolean
  } catch (error) {
    throw chainError(error, `reading batch ${parameters.batchId}`)
  }
}

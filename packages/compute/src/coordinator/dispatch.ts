import { randomBytes } from 'node:crypto'
import { ComputeError } from '../errors.js'
import {
  decodeFrame,
  encodeFrame,
  FRAME_CONTENT_TYPE,
  type Tensor,
  tensorsHash,
} from '../network/frame.js'
import { exchange } from '../network/http.js'
import { type SignedReceipt, verifyReceipt } from '../network/receipt.js'
import { resultHeaderSchema } from '../network/schemas.js'
import type { CoordinatorContext } from './context.js'
import type { NodeRecord } from './types.js'

/** A node's checked answer to one attempt. */
export type Attempt = {
  node: string
  outputs: Tensor[]
  signed: SignedReceipt
  /** The exchange's time as this coordinator measured it (request sent to answer read), µs. */
  micros: number
}

/** A job as sent to a node: its id, the model's hash and the input tensors (nothing else). */
export type Dispatchable = { jobId: string; modelHash: string; inputs: Tensor[]; inputHash: string }

/**
 * Sends a job to a node under a lease: a fresh nonce (the fencing token) that expires after
 * `leaseMs`. The node's answer is accepted only if its receipt verifies (signature by that node,
 * this job's id, model hash, input hash, the hash of the outputs it sent, this nonce) and the
 * lease is still live when it arrives; a late answer is rejected even if the exchange finishes.
 *
 * @throws {ComputeError} the exchange's errors, `COMPUTE_NETWORK_TIMEOUT` when the lease expires,
 * `COMPUTE_RECEIPT_INVALID`, `COMPUTE_BAD_REQUEST` for a garbled answer.
 */
export async function dispatch(
  ctx: CoordinatorContext,
  node: NodeRecord,
  job: Dispatchable,
): Promise<Attempt> {
  const { leaseMs } = ctx.settings
  const nonce = `0x${randomBytes(32).toString('hex')}`
  // the lease is written while the job travels; it is closed only once written
  const opened = ctx.store.openLease(nonce, job.jobId, Date.now() + leaseMs)
  opened.catch(() => {})
  const address = node.address.toLowerCase()
  const load = ctx.load.get(address) ?? { inFlight: 0, assigned: 0 }
  ctx.load.set(address, load)
  load.inFlight++
  load.assigned++
  const attempt = (async () => {
    const body = encodeFrame({ jobId: job.jobId, modelHash: job.modelHash, nonce }, job.inputs)
    const spent = ctx.spent.get(job.jobId)
    const sent = performance.now()
    const res = await exchange(`${node.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': FRAME_CONTENT_TYPE },
      body,
      // the exchange may outlive the lease, so that a late answer is seen and refused by its token
      timeoutMs: leaseMs * 3,
    })
    const micros = Math.round((performance.now() - sent) * 1000)
    if (spent) spent.nodeMs += micros / 1000
    const { header, tensors } = decodeFrame(res.body, resultHeaderSchema)
    const checking = performance.now()
    try {
      verifyReceipt(header.signed, {
        jobId: job.jobId,
        modelHash: job.modelHash,
        inputHash: job.inputHash,
        outputHash: tensorsHash(tensors),
        node: node.address,
        nonce,
      })
    } catch (error) {
      ctx.counters.receiptsRejected++
      throw error
    } finally {
      if (spent) spent.verifyMs += performance.now() - checking
    }
    await opened
    if (!(await ctx.store.closeLease(nonce, job.jobId, Date.now()))) {
      ctx.counters.lateRejected++
      throw new ComputeError(
        'COMPUTE_RECEIPT_INVALID',
        `Late answer for ${job.jobId}: its lease expired.`,
        {
          details: {
            problems: ['the lease (nonce) expired or was already used'],
            jobId: job.jobId,
            node: address,
          },
        },
      )
    }
    return { node: address, outputs: tensors, signed: header.signed, micros }
  })().finally(() => {
    load.inFlight--
  })
  attempt.catch(() => {})
  let timer: NodeJS.Timeout | undefined
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ComputeError(
            'COMPUTE_NETWORK_TIMEOUT',
            `Node ${address} held ${job.jobId} past its lease.`,
            {
              details: { node: address, jobId: job.jobId, leaseMs },
            },
          ),
        ),
      leaseMs,
    )
  })
  try {
    return await Promise.race([attempt, expiry])
  } finally {
    clearTimeout(timer)
  }
}

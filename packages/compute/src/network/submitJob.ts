import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { ComputeError } from '../errors.js'
import { parseArgs } from '../validate.js'
import { decodeFrame, encodeFrame, FRAME_CONTENT_TYPE, type Tensor, tensorsHash } from './frame.js'
import { exchange } from './http.js'
import { verifyReceipt } from './receipt.js'
import { type SubmitResultHeader, submitResultHeaderSchema } from './schemas.js'

const argsSchema = z.tuple([
  z.looseObject({ url: z.url(), apiKey: z.string().min(1).max(200) }),
  z.looseObject({
    modelHash: z.string().regex(/^0x[0-9a-f]{64}$/),
    input: z.looseObject({ name: z.string().min(1), dims: z.array(z.number().int().min(1)) }),
  }),
])

/**
 * Sends one input tensor to a coordinator for a model (by hash) and returns the outputs with the
 * receipt, checked against what was sent and received (signature, model hash, input and output
 * hashes). Retried with the same request id on a network failure, so it is billed once.
 *
 * @throws {ComputeError} `COMPUTE_UNAUTHORIZED` (401), `COMPUTE_NETWORK_UNAVAILABLE`,
 * `COMPUTE_NETWORK_TIMEOUT`, `COMPUTE_RECEIPT_INVALID`, `COMPUTE_BAD_REQUEST`.
 */
export async function submitJob(
  access: { url: string; apiKey: string; region?: string; timeoutMs?: number },
  job: { modelHash: string; input: Tensor; requestId?: string; urgency?: string },
): Promise<{ header: SubmitResultHeader; outputs: Tensor[] }> {
  parseArgs(argsSchema, [access, job], 'submitJob arguments')
  const base = access.url.replace(/\/+$/, '')
  const body = encodeFrame(
    {
      requestId: job.requestId ?? randomUUID(),
      modelHash: job.modelHash,
      ...(access.region ? { region: access.region } : {}),
      ...(job.urgency ? { urgency: job.urgency } : {}),
    },
    [job.input],
  )
  const res = await withRetries(() =>
    exchange(`${base}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': FRAME_CONTENT_TYPE, authorization: `Bearer ${access.apiKey}` },
      body,
      timeoutMs: access.timeoutMs ?? 120_000,
    }),
  )
  const { header, tensors } = decodeFrame(res.body, submitResultHeaderSchema)
  verifyReceipt(header.signed, {
    jobId: header.jobId,
    modelHash: job.modelHash,
    inputHash: tensorsHash([job.input]),
    outputHash: tensorsHash(tensors),
  })
  return { header, outputs: tensors }
}

async function withRetries<T>(f: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await f()
    } catch (error) {
      const e = error as ComputeError
      const status = (e.details as { status?: number } | undefined)?.status ?? 0
      const transient =
        e.code === 'COMPUTE_NETWORK_TIMEOUT' ||
        (e.code === 'COMPUTE_NETWORK_UNAVAILABLE' && (status === 0 || status >= 500))
      if (!transient || attempt >= 4) throw error
      await new Promise((r) => setTimeout(r, 250 * attempt))
    }
  }
}

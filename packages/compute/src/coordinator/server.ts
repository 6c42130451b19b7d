import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { defaultConfig, quoteCompute } from '@btt/core'
import { verifyMessage } from 'ethers'
import { z } from 'zod'
import { ComputeError, toComputeError } from '../errors.js'
import {
  anyHeaderSchema,
  decodeFrame,
  encodeFrame,
  FRAME_CONTENT_TYPE,
  MAX_FRAME_BYTES,
} from '../network/frame.js'
import { readBody, readJson, sendBytes, sendError, sendJson } from '../network/http.js'
import { registrationMessage, registrationSchema, submitHeaderSchema } from '../network/schemas.js'
import type { CoordinatorContext } from './context.js'
import { hashKey } from './keys.js'
import type { JobQueue } from './queue.js'
import type { JobRecord, QueuedJob } from './types.js'
import { invalidateView } from './view.js'

const unauthorized = () =>
  new ComputeError('COMPUTE_UNAUTHORIZED', 'A valid API key is required.', { details: {} })

/** The clinic of a request's API key; a known key is kept here for 30 s (keys are never revoked). */
async function clinicOf(ctx: CoordinatorContext, req: IncomingMessage): Promise<string> {
  const m = /^Bearer (\S{1,200})$/.exec(req.headers.authorization ?? '')
  if (!m) throw unauthorized()
  const hash = hashKey(m[1]!)
  const kept = ctx.clinics.get(hash)
  if (kept && kept.until > Date.now()) return kept.clinic
  const clinic = await ctx.store.clinicOf(hash)
  if (!clinic) throw unauthorized()
  if (ctx.clinics.size >= 10_000) ctx.clinics.clear()
  ctx.clinics.set(hash, { clinic, until: Date.now() + 30_000 })
  return clinic
}

/** The coordinator's HTTP routes; every failure is a coded 4xx/5xx with a reason. */
export function createHandler(ctx: CoordinatorContext, queue: JobQueue) {
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    'GET /v1/health': async (_req, res) => sendJson(res, 200, { ok: true }),
    'POST /v1/nodes/challenge': async (_req, res) => {
      const challenge = randomBytes(32).toString('hex')
      await ctx.store.putChallenge(challenge, Date.now() + 60_000)
      sendJson(res, 200, { challenge })
    },
    'POST /v1/nodes/register': (req, res) => register(ctx, req, res),
    'GET /v1/nodes': async (req, res) => {
      await clinicOf(ctx, req)
      const [nodes, stats] = await Promise.all([ctx.store.nodes(), ctx.store.allStats()])
      sendJson(res, 200, {
        nodes: nodes.map((n) => ({ ...n, stats: stats.get(n.address) ?? null })),
      })
    },
    'POST /v1/quote': async (req, res) => {
      await clinicOf(ctx, req)
      const q = z
        .strictObject({
          frames: z.number().int().min(1).max(4096),
          bytes: z.number().int().min(0),
          urgency: z.string().max(40).optional(),
        })
        .safeParse(await readJson(req))
      if (!q.success) throw badBody(q.error)
      const { quote, usage } = quoteFor(ctx, q.data.frames, q.data.bytes, q.data.urgency)
      sendJson(res, 200, {
        ...quote,
        total: String(quote.total),
        lines: quote.lines.map((l) => ({ ...l, amount: String(l.amount) })),
        usage,
      })
    },
    'POST /v1/jobs': (req, res) => submit(ctx, queue, req, res),
  }
  return (req: IncomingMessage, res: ServerResponse) => {
    const route = routes[`${req.method} ${(req.url ?? '').split('?')[0]}`]
    if (!route)
      return sendJson(res, 404, { code: 'COMPUTE_BAD_REQUEST', message: 'No such route.' })
    route(req, res).catch((error) => sendError(res, toComputeError(error)))
  }
}

const badBody = (error: z.ZodError) =>
  new ComputeError('COMPUTE_BAD_REQUEST', 'The body does not match its schema.', {
    details: { issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  })

async function register(ctx: CoordinatorContext, req: IncomingMessage, res: ServerResponse) {
  const parsed = registrationSchema.safeParse(await readJson(req))
  if (!parsed.success) throw badBody(parsed.error)
  const r = parsed.data
  const { signature, ...unsigned } = r
  let signer = ''
  try {
    signer = verifyMessage(registrationMessage(unsigned), signature)
  } catch {}
  if (
    signer.toLowerCase() !== r.address.toLowerCase() ||
    !(await ctx.store.takeChallenge(r.challenge, Date.now()))
  )
    throw new ComputeError(
      'COMPUTE_UNAUTHORIZED',
      'The registration is not signed over a live challenge.',
      {
        details: {},
      },
    )
  await ctx.store.putNode({
    address: r.address.toLowerCase(),
    url: r.url,
    capabilities: r.capabilities,
    registeredAt: Date.now(),
  })
  invalidateView(ctx)
  sendJson(res, 200, { ok: true })
}

function quoteFor(ctx: CoordinatorContext, frames: number, bytes: number, urgency = 'routine') {
  const usage = {
    gpuSeconds: frames * ctx.settings.secondsPerFrame,
    dataBytes: String(bytes),
    urgency,
  }
  const quote = quoteCompute(defaultConfig.computePricing, { ...usage, dataBytes: BigInt(bytes) })
  return { quote, usage }
}

async function submit(
  ctx: CoordinatorContext,
  queue: JobQueue,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const t0 = performance.now()
  const clinic = await clinicOf(ctx, req)
  const body = await readBody(req, { limit: MAX_FRAME_BYTES, contentType: FRAME_CONTENT_TYPE })
  const { header, tensors } = decodeFrame(body, submitHeaderSchema)
  if (tensors.length !== 1)
    throw new ComputeError('COMPUTE_BAD_REQUEST', 'A job carries exactly one input tensor.', {
      details: { reason: 'wrong input tensors', count: tensors.length },
    })
  const jobId = createHash('sha256').update(`${clinic}\u0000${header.requestId}`).digest('hex')
  let done = await ctx.store.job(jobId)
  if (!done) {
    const { quote, usage } = quoteFor(ctx, tensors[0]!.dims[0]!, body.length, header.urgency)
    const job: QueuedJob = {
      jobId,
      clinic,
      requestId: header.requestId,
      modelHash: header.modelHash,
      ...(header.region ? { region: header.region } : {}),
      urgency: usage.urgency,
      frames: tensors[0]!.dims[0]!,
      billed: String(quote.total),
      currency: quote.currency,
      usage,
      input: encodeFrame({}, tensors),
    }
    const spent = { nodeMs: 0, verifyMs: 0 }
    ctx.spent.set(jobId, spent)
    try {
      await queue.run(job)
      done = ctx.finished.get(jobId) ?? (await ctx.store.job(jobId))
    } finally {
      ctx.spent.delete(jobId)
      ctx.finished.delete(jobId)
    }
    if (done) {
      respond(res, done.record, done.output)
      record(ctx, performance.now() - t0 - spent.nodeMs, spent.verifyMs)
      return
    }
  }
  if (!done)
    throw new ComputeError('COMPUTE_JOB_FAILED', `Job ${jobId} was not processed.`, {
      details: { jobId, status: 503 },
    })
  respond(res, done.record, done.output)
}

function record(ctx: CoordinatorContext, totalMs: number, verifyMs: number): void {
  const { overhead } = ctx
  overhead.totalMs.push(totalMs)
  overhead.verifyMs.push(verifyMs)
  if (overhead.totalMs.length > 100_000) {
    overhead.totalMs.shift()
    overhead.verifyMs.shift()
  }
}

function respond(res: ServerResponse, record: JobRecord, output?: Buffer): void {
  if (record.status !== 'done' || !output || !record.signed)
    throw new ComputeError(
      'COMPUTE_JOB_FAILED',
      `Job ${record.jobId} failed on every node: ${record.reason}`,
      {
        details: { jobId: record.jobId, reason: record.reason ?? null },
      },
    )
  const { tensors } = decodeFrame(output, anyHeaderSchema)
  const header = {
    jobId: record.jobId,
    billed: record.billed,
    currency: record.currency,
    signed: record.signed,
    verifiedBy: record.verifiedBy,
  }
  sendBytes(res, FRAME_CONTENT_TYPE, encodeFrame(header, tensors))
}

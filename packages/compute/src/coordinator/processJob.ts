import { anyHeaderSchema, decodeFrame, encodeFrame, tensorsHash } from '../network/frame.js'
import { DEFAULT_TOLERANCE, outputsAgree } from './compare.js'
import type { CoordinatorContext } from './context.js'
import { type Attempt, type Dispatchable, dispatch } from './dispatch.js'
import { pickNode } from './scheduler.js'
import type { JobRecord, NodeStats, QueuedJob } from './types.js'
import { invalidateView, placementView } from './view.js'

/** Reputation changes (0–100 scale). */
export const REPUTATION = { agree: 1, disagree: -30, failed: -5, auditPassed: 1, auditFailed: -40 }

/**
 * Runs one job to its end: placed on the best node (another on failure, up to `maxAttempts`),
 * with a `verifyFraction` chance of a second node and a third on disagreement. The majority's
 * answer is accepted (one receipt, paid once); a node in the minority loses reputation and is
 * not paid. Records the job (done or dead-lettered with its reason) unless another process did.
 */
export async function processJob(ctx: CoordinatorContext, queued: QueuedJob): Promise<void> {
  if (await ctx.store.job(queued.jobId)) return
  const inputs = decodeFrame(queued.input, anyHeaderSchema).tensors
  const job: Dispatchable = {
    jobId: queued.jobId,
    modelHash: queued.modelHash,
    inputs,
    inputHash: tensorsHash(inputs),
  }
  const tried = new Set<string>()
  const failures: { node: string; code: string; message: string }[] = []
  const base = {
    jobId: queued.jobId,
    clinic: queued.clinic,
    requestId: queued.requestId,
    modelHash: queued.modelHash,
    currency: queued.currency,
    usage: queued.usage,
    finishedAt: Date.now(),
  }
  const primary = await runSomewhere(ctx, queued, job, tried, failures, ctx.settings.maxAttempts)
  if (!primary)
    return deadLetter(
      ctx,
      { ...base, billed: '0', status: 'failed', verifiedBy: [], disputedBy: [] },
      failures,
    )
  const answers = [primary]
  if (ctx.settings.random() < ctx.settings.verifyFraction) {
    const second = await runSomewhere(ctx, queued, job, tried, failures, ctx.settings.maxAttempts)
    if (second) answers.push(second)
    const tol = ctx.settings.tolerances.get(queued.modelHash) ?? DEFAULT_TOLERANCE
    if (second && !outputsAgree(primary.outputs, second.outputs, tol)) {
      const third = await runSomewhere(ctx, queued, job, tried, failures, ctx.settings.maxAttempts)
      if (third) answers.push(third)
    }
  }
  const verdict = vote(ctx, answers, queued.modelHash)
  const w = verdict.winner
  // counters are written while the job is recorded (neither needs the other)
  const bumped = bumpAll(ctx, [
    ...verdict.losers.map((a) => [a, { disagreements: 1, reputation: REPUTATION.disagree }]),
    ...verdict.agreeing.map((a) => [
      a,
      { agreements: 1, reputation: REPUTATION.agree, jobsOk: a === w?.node ? 1 : 0 },
    ]),
  ] as [string, Partial<NodeStats>][])
  if (!w) {
    await Promise.all([
      bumped,
      deadLetter(
        ctx,
        { ...base, billed: '0', status: 'failed', verifiedBy: [], disputedBy: verdict.losers },
        [{ node: '*', code: 'COMPUTE_RECEIPT_INVALID', message: 'disputed: no two nodes agree' }],
      ),
    ])
    return
  }
  if (verdict.agreeing.length > 1) remember(ctx, queued.modelHash, inputs, w)
  const record: JobRecord = {
    ...base,
    finishedAt: Date.now(),
    status: 'done',
    billed: queued.billed,
    signed: w.signed,
    measuredMicros: w.micros,
    verifiedBy: verdict.agreeing.filter((a) => a !== w.node),
    disputedBy: verdict.losers,
  }
  const output = encodeFrame({}, w.outputs)
  // a request in this process waits for the job: it is handed the record without a re-read
  const [recorded] = await Promise.all([ctx.store.finishJob(record, output), bumped])
  if (recorded && ctx.spent.has(record.jobId)) ctx.finished.set(record.jobId, { record, output })
}

/** Each node's counters changed once; a lower reputation is seen by the next placement. */
async function bumpAll(
  ctx: CoordinatorContext,
  deltas: [string, Partial<NodeStats>][],
): Promise<void> {
  await Promise.all(deltas.map(([address, delta]) => ctx.store.bump(address, delta)))
  if (deltas.some(([, d]) => (d.reputation ?? 0) < 0)) invalidateView(ctx)
}

async function runSomewhere(
  ctx: CoordinatorContext,
  queued: QueuedJob,
  job: Dispatchable,
  tried: Set<string>,
  failures: { node: string; code: string; message: string }[],
  budget: number,
): Promise<Attempt | undefined> {
  for (let i = 0; i < budget; i++) {
    const { nodes, stats } = await placementView(ctx)
    const candidates = nodes.map((node) => ({
      node,
      stats: stats.get(node.address.toLowerCase()) ?? { ...defaultStats },
    }))
    const picked = pickNode(
      candidates,
      {
        modelHash: queued.modelHash,
        region: queued.region,
        exclude: tried,
        down: new Set([...ctx.missed].filter(([, n]) => n >= 3).map(([a]) => a)),
        price: BigInt(queued.billed),
      },
      ctx.load,
      ctx.settings.excludeBelow,
    )
    if (!picked) return undefined
    const address = picked.node.address.toLowerCase()
    tried.add(address)
    try {
      return await dispatch(ctx, picked.node, job)
    } catch (error) {
      const e = error as { code?: string; message: string }
      failures.push({ node: address, code: e.code ?? 'COMPUTE_UNEXPECTED', message: e.message })
      await bumpAll(ctx, [[address, { jobsFailed: 1, reputation: REPUTATION.failed }]])
    }
  }
  return undefined
}

const defaultStats = {
  pings: 0,
  pingsOk: 0,
  latencyMsSum: 0,
  jobsOk: 0,
  jobsFailed: 0,
  agreements: 0,
  disagreements: 0,
  auditsPassed: 0,
  auditsFailed: 0,
  reputation: 100,
}

/** The answer most nodes agree on (the earliest of them wins), who agreed and who did not. */
function vote(
  ctx: CoordinatorContext,
  answers: Attempt[],
  modelHash: string,
): { winner?: Attempt | undefined; agreeing: string[]; losers: string[] } {
  const tol = ctx.settings.tolerances.get(modelHash) ?? DEFAULT_TOLERANCE
  if (answers.length === 1) return { winner: answers[0], agreeing: [answers[0]!.node], losers: [] }
  for (const candidate of answers) {
    const agreeing = answers.filter((a) => outputsAgree(candidate.outputs, a.outputs, tol))
    if (agreeing.length * 2 > answers.length)
      return {
        winner: candidate,
        agreeing: agreeing.map((a) => a.node),
        losers: answers.filter((a) => !agreeing.includes(a)).map((a) => a.node),
      }
  }
  // two that disagree with no third node, or three that all differ: nobody is paid
  return { agreeing: [], losers: answers.length > 2 ? answers.map((a) => a.node) : [] }
}

function remember(
  ctx: CoordinatorContext,
  modelHash: string,
  inputs: Attempt['outputs'],
  w: Attempt,
): void {
  ctx.known.push({ modelHash, inputs, outputs: w.outputs })
  if (ctx.known.length > 32) ctx.known.shift()
}

async function deadLetter(
  ctx: CoordinatorContext,
  record: JobRecord,
  failures: { node: string; code: string; message: string }[],
): Promise<void> {
  ctx.counters.deadLettered++
  const reason = failures.length
    ? failures.map((f) => `${f.node}: ${f.code} ${f.message}`).join('; ')
    : 'no registered node holds the model, asks at most the price and is in good standing'
  await ctx.store.finishJob({ ...record, reason: reason.slice(0, 2000), finishedAt: Date.now() })
}

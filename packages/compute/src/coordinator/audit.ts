import { randomBytes } from 'node:crypto'
import { tensorsHash } from '../network/frame.js'
import { DEFAULT_TOLERANCE, outputsAgree } from './compare.js'
import type { CoordinatorContext } from './context.js'
import { dispatch } from './dispatch.js'
import { REPUTATION } from './processJob.js'
import { invalidateView } from './view.js'

export type AuditOutcome = { node: string; passed: boolean; reason?: string }

/**
 * Known-answer audits: each node in good standing that holds a model with a known answer is sent
 * that input as a new job — a fresh random id and nonce, the same framing as any job, so the
 * node cannot tell it from work. A wrong, late or unsigned answer costs reputation.
 */
export async function runAudits(ctx: CoordinatorContext): Promise<AuditOutcome[]> {
  const outcomes: AuditOutcome[] = []
  const [nodes, stats] = await Promise.all([ctx.store.nodes(), ctx.store.allStats()])
  for (const node of nodes) {
    const address = node.address.toLowerCase()
    if ((stats.get(address)?.reputation ?? 100) < ctx.settings.excludeBelow) continue
    const known = ctx.known.filter((k) => node.capabilities.models.includes(k.modelHash))
    const pick = known[Math.floor(ctx.settings.random() * known.length)]
    if (!pick) continue
    const job = {
      jobId: randomBytes(32).toString('hex'),
      modelHash: pick.modelHash,
      inputs: pick.inputs,
      inputHash: tensorsHash(pick.inputs),
    }
    const tol = ctx.settings.tolerances.get(pick.modelHash) ?? DEFAULT_TOLERANCE
    try {
      const answer = await dispatch(ctx, node, job)
      const passed = outputsAgree(answer.outputs, pick.outputs, tol)
      outcomes.push({ node: address, passed, ...(passed ? {} : { reason: 'wrong output' }) })
    } catch (error) {
      outcomes.push({ node: address, passed: false, reason: (error as Error).message })
    }
    const passed = outcomes.at(-1)!.passed
    await ctx.store.bump(
      address,
      passed
        ? { auditsPassed: 1, reputation: REPUTATION.auditPassed }
        : { auditsFailed: 1, reputation: REPUTATION.auditFailed },
    )
    if (!passed) invalidateView(ctx)
  }
  return outcomes
}

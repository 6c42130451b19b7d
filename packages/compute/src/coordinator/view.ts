import type { CoordinatorContext } from './context.js'
import type { NodeRecord, NodeStats } from './types.js'

/** How long the scheduler reuses one read of the registry and the nodes' stats (ms). */
export const VIEW_MS = 200

export type PlacementView = { nodes: NodeRecord[]; stats: Map<string, NodeStats> }

/**
 * The registry and every node's stats as the scheduler weighs them: read from the store at most
 * every {@link VIEW_MS} (one read shared by the jobs placed meanwhile, instead of two per job),
 * and again at once after this process registers a node or changes a reputation. Another
 * process's changes are seen within {@link VIEW_MS}.
 */
export function placementView(ctx: CoordinatorContext): Promise<PlacementView> {
  const now = Date.now()
  if (ctx.view && now - ctx.view.at < VIEW_MS) return ctx.view.value
  const value = Promise.all([ctx.store.nodes(), ctx.store.allStats()]).then(([nodes, stats]) => ({
    nodes,
    stats,
  }))
  const view = { at: now, value }
  ctx.view = view
  // a failed read is not kept: the next job reads again
  value.catch(() => {
    if (ctx.view === view) ctx.view = undefined
  })
  return value
}

/** Makes the next placement read the store again (after a registration or a reputation change). */
export function invalidateView(ctx: CoordinatorContext): void {
  ctx.view = undefined
}

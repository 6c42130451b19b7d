import { exchange } from '../network/http.js'
import type { CoordinatorContext } from './context.js'

/**
 * Pings every registered node once (`GET /v1/health`, timeout 2 s) and records whether it
 * answered and how long the round trip took: uptime and latency are the coordinator's own
 * measurements, never the node's word.
 */
export async function pingNodes(ctx: CoordinatorContext): Promise<void> {
  const nodes = await ctx.store.nodes()
  await Promise.all(
    nodes.map(async (node) => {
      const t0 = performance.now()
      let ok = false
      try {
        await exchange(`${node.url}/v1/health`, { method: 'GET', timeoutMs: 2000 })
        ok = true
      } catch {}
      const ms = Math.round(performance.now() - t0)
      const address = node.address.toLowerCase()
      ctx.missed.set(address, ok ? 0 : (ctx.missed.get(address) ?? 0) + 1)
      await ctx.store.bump(node.address, {
        pings: 1,
        pingsOk: ok ? 1 : 0,
        latencyMsSum: ok ? ms : 0,
      })
    }),
  )
}

import type { NodeRecord, NodeStats } from './types.js'

/** A node that may take a job, with what the scheduler weighs. */
export type Candidate = { node: NodeRecord; stats: NodeStats }

export type Placement = {
  modelHash: string
  region?: string | undefined
  /** Nodes not to use (already tried, or already ran this job). */
  exclude: ReadonlySet<string>
  /** Nodes that missed their last pings: not given work until they answer again. */
  down?: ReadonlySet<string> | undefined
  /** The most the job pays a node (the quote's total); a node's price floor must be at most this. */
  price: bigint
}

/**
 * Places a job: among nodes that hold the model, are not excluded, answer their pings and ask at
 * most the price, the highest of reputation × measured quality × region preference ÷ load;
 * ties go to the node given the fewest jobs by this process.
 */
export function pickNode(
  candidates: readonly Candidate[],
  placement: Placement,
  load: ReadonlyMap<string, { inFlight: number; assigned: number }>,
  excludeBelow: number,
): Candidate | undefined {
  let best: Candidate | undefined
  let bestScore = -1
  let bestAssigned = Number.POSITIVE_INFINITY
  for (const c of candidates) {
    const address = c.node.address.toLowerCase()
    if (placement.exclude.has(address) || placement.down?.has(address)) continue
    if (!c.node.capabilities.models.includes(placement.modelHash)) continue
    if (c.stats.reputation < excludeBelow) continue
    if (BigInt(c.node.capabilities.priceFloor) > placement.price) continue
    const answered = c.stats.pings === 0 ? 1 : c.stats.pingsOk / c.stats.pings
    if (c.stats.pings >= 3 && answered < 0.5) continue
    const latency = c.stats.pingsOk ? c.stats.latencyMsSum / c.stats.pingsOk : 10
    const quality = answered / (1 + latency / 100)
    const region = placement.region && placement.region === c.node.capabilities.region ? 1.5 : 1
    const l = load.get(address) ?? { inFlight: 0, assigned: 0 }
    const score = (c.stats.reputation * quality * region) / (1 + l.inFlight)
    if (
      score > bestScore + 1e-9 ||
      (Math.abs(score - bestScore) <= 1e-9 && l.assigned < bestAssigned)
    ) {
      best = c
      bestScore = score
      bestAssigned = l.assigned
    }
  }
  return best
}

import { type ContributorNode, dividendShares, type EngineConfig } from '@btt/core'

/** Region factors (ppm) by region and node count, per engine config (kept across runs in a thread). */
const caches = new WeakMap<object, Map<string, Map<number, bigint>>>()

/** A node that scores with any config, so a call never finds every score zero. */
const SENTINEL = {
  id: 'sentinel',
  region: '~sentinel',
  gpuUnits: 1,
  uptimePpm: 1_000_000,
  latencyMs: 0,
  throughput: 1e6,
  gflopsPerWatt: 1e6,
}

/**
 * Sets `mult[r]` to the region factor of region `regionIds[r]` holding `counts[r]` nodes (at
 * least 1), from @btt/core: the counts not seen before go to `dividendShares` in one call, one
 * entry per region standing for that many nodes, and its `regionPpm` is remembered.
 */
export function regionFactors(
  engine: EngineConfig,
  regionIds: readonly string[],
  counts: Int32Array,
  mult: bigint[],
): void {
  let cache = caches.get(engine.dividend)
  if (!cache) {
    cache = new Map()
    caches.set(engine.dividend, cache)
  }
  const missing: { r: number; node: ContributorNode }[] = []
  for (let r = 0; r < regionIds.length; r++) {
    const count = Math.max(1, counts[r]!)
    let byCount = cache.get(regionIds[r]!)
    if (!byCount) {
      byCount = new Map()
      cache.set(regionIds[r]!, byCount)
    }
    const v = byCount.get(count)
    if (v === undefined)
      missing.push({ r, node: { ...SENTINEL, id: `r${r}`, region: regionIds[r]!, count } })
    else mult[r] = v
  }
  if (missing.length === 0) return
  const { shares } = dividendShares([...missing.map((m) => m.node), SENTINEL], 0n, engine)
  missing.forEach(({ r, node }, k) => {
    const v = shares[k]!.factors.regionPpm
    cache.get(regionIds[r]!)!.set(node.count!, v)
    mult[r] = v
  })
}

import { type EngineConfig, nodeFactors } from '@btt/core'
import type { SampledTier } from '../engine/buildCohorts.js'
import type { Rng } from '../random/createRng.js'
import type { NodePopulation } from '../scenario/nodeSchema.js'
import { type DrawnNode, drawNode, typicalPopulation } from './drawNode.js'
import { epochsUntilFlip } from './epochsUntilFlip.js'
import { type SplitBuffers, splitBuffers } from './exactSplit.js'
import {
  appendNode,
  BYTES_PER_NODE,
  newPopulation,
  type Population,
  setLimbs,
  setState,
} from './population.js'

/** A per-node run's state besides the per-node arrays. */
export type NodeRun = {
  pop: Population
  tiers: readonly SampledTier[]
  populations: NodePopulation[]
  regionIds: string[]
  regionCount: Int32Array
  tierRegions: { ids: string[]; cumulative: number[] }[]
  regionCache: Map<number, bigint>[]
  engine: EngineConfig
  epochDays: number
  /** Uptime factor (ppm) of a node that is down this epoch (uptime 0). */
  downUptimePpm: bigint
  divOut: SplitBuffers
  revOut: SplitBuffers
  /** Initial nodes that join after epoch 0, by join epoch (latest last). */
  pending: { epoch: number; tier: number; node: DrawnNode }[]
  /** Nodes present from the start, and nodes among them that have paid back, by tier. */
  initial: Int32Array
  paidBack: Int32Array
  leftForLosses: Int32Array
}

/** Sets up a run: its region list, and every initial node drawn (in tier order, then node order). */
export function startNodeRun(
  tiers: readonly SampledTier[],
  engine: EngineConfig,
  epochDays: number,
  capacity: number,
  rng: Rng,
): NodeRun {
  const regionIds = [...new Set(tiers.flatMap((t) => Object.keys(t.regions)))].sort()
  const run: NodeRun = {
    pop: newPopulation(capacity, regionIds.length),
    tiers,
    populations: tiers.map((t) => t.nodes ?? typicalPopulation(t)),
    regionIds,
    regionCount: new Int32Array(regionIds.length),
    tierRegions: tiers.map((t) => regionWeights(t)),
    regionCache: regionIds.map(() => new Map()),
    engine,
    epochDays,
    downUptimePpm: factorsOf(engine, 'x', 1, { uptimePpm: 0 }).uptimePpm,
    divOut: splitBuffers(capacity),
    revOut: splitBuffers(capacity),
    pending: [],
    initial: new Int32Array(tiers.length),
    paidBack: new Int32Array(tiers.length),
    leftForLosses: new Int32Array(tiers.length),
  }
  tiers.forEach((tier, t) => {
    const within = run.populations[t]!.joinWithinDays
    for (let k = 0; k < tier.initialNodes; k++) {
      const node = drawNode(run.populations[t]!, run.tierRegions[t]!, epochDays, rng)
      const epoch = within > 0 ? Math.floor((rng.next() * within) / epochDays) : 0
      run.pending.push({ epoch, tier: t, node })
      run.initial[t]!++
    }
  })
  // stable: equal join epochs keep their draw order
  run.pending = run.pending
    .map((p, k) => ({ p, k }))
    .sort((a, b) => b.p.epoch - a.p.epoch || b.k - a.k)
    .map((x) => x.p)
  return run
}

/** Adds the initial nodes whose join date is this epoch. */
export function joinPending(run: NodeRun, epoch: number, rng: Rng): void {
  while (run.pending.length && run.pending[run.pending.length - 1]!.epoch <= epoch) {
    const { tier, node } = run.pending.pop()!
    addNode(run, tier, node, epoch, rng, true)
  }
}

/** Adds one node: its dividend weights from @btt/core's `nodeFactors`, up or down by its process. */
export function addNode(
  run: NodeRun,
  tier: number,
  node: DrawnNode,
  epoch: number,
  rng: Rng,
  initial = false,
): void {
  if (run.pop.n === run.pop.capacity) grow(run)
  const r = run.regionIds.indexOf(node.region)
  const i = appendNode(run.pop, node, tier, r, epoch, initial)
  const rest = factorCache(run.engine).rest(node)
  setLimbs(run.pop.scoreUp, i * 4, rest * factorCache(run.engine).uptime(node.uptimeWhenUpPpm))
  setLimbs(run.pop.scoreDown, i * 4, rest * run.downUptimePpm)
  const stationaryUp = node.pRecover / (node.pRecover + node.pFail)
  const up = rng.next() < stationaryUp
  setState(run.pop, i, up)
  run.pop.nextFlip[i] = epoch + epochsUntilFlip(up ? node.pFail : node.pRecover, rng)
  run.regionCount[r]!++
}

/** The region factor (ppm) for a region holding `count` nodes, from @btt/core (cached). */
export function regionFactor(run: NodeRun, r: number, count: number): bigint {
  const cache = run.regionCache[r]!
  let v = cache.get(count)
  if (v === undefined) {
    v = factorsOf(run.engine, run.regionIds[r]!, Math.max(1, count), {}).regionPpm
    cache.set(count, v)
  }
  return v
}

type FactorCache = {
  uptime(ppm: number): bigint
  /** compute units × QoS × energy, each from @btt/core's `nodeFactors`. */
  rest(node: DrawnNode): bigint
}
const caches = new WeakMap<object, FactorCache>()

/**
 * @btt/core's `nodeFactors`, one factor at a time and remembered per engine config: each factor
 * of the dividend formula depends only on its own inputs (uptime; latency and throughput; GPU
 * units; efficiency), so a node's weight is the product of cached factors.
 */
function factorCache(engine: EngineConfig): FactorCache {
  let c = caches.get(engine.dividend)
  if (c) return c
  const memo = <K>(f: (k: K) => bigint) => {
    const m = new Map<K, bigint>()
    return (k: K) => {
      let v = m.get(k)
      if (v === undefined) {
        v = f(k)
        m.set(k, v)
      }
      return v
    }
  }
  const uptime = memo((ppm: number) => factorsOf(engine, 'x', 1, { uptimePpm: ppm }).uptimePpm)
  const qos = memo(
    (key: number) =>
      factorsOf(engine, 'x', 1, { latencyMs: Math.floor(key / 1e5), throughput: (key % 1e5) / 10 })
        .qosPpm,
  )
  const units = memo((gpuUnits: number) => factorsOf(engine, 'x', 1, { gpuUnits }).computeUnits)
  const energy = memo(
    (tenths: number) => factorsOf(engine, 'x', 1, { gflopsPerWatt: tenths / 10 }).energyPpm,
  )
  c = {
    uptime,
    rest: (n) =>
      units(n.gpuUnits) *
      qos(n.latencyMs * 1e5 + Math.round(n.throughput * 10)) *
      energy(Math.round(n.gflopsPerWatt * 10)),
  }
  caches.set(engine.dividend, c)
  return c
}

function factorsOf(
  engine: EngineConfig,
  region: string,
  regionNodes: number,
  node: Partial<{
    gpuUnits: number
    uptimePpm: number
    latencyMs: number
    throughput: number
    gflopsPerWatt: number
  }>,
) {
  return nodeFactors(
    {
      id: 'n',
      region,
      gpuUnits: 1,
      uptimePpm: 1_000_000,
      latencyMs: 0,
      throughput: 0,
      gflopsPerWatt: 0,
      ...node,
    },
    regionNodes,
    engine.dividend,
  )
}

function regionWeights(tier: SampledTier): { ids: string[]; cumulative: number[] } {
  const entries = Object.entries(tier.regions).filter(([, w]) => w > 0)
  const total = entries.reduce((a, [, w]) => a + w, 0)
  let running = 0
  return {
    ids: entries.map(([id]) => id),
    cumulative: entries.map(([, w]) => {
      running += w
      return running / total
    }),
  }
}

/** Doubles the slots (rare: the capacity is sized from the scenario's upper bounds). */
function grow(run: NodeRun): void {
  const old = run.pop
  const next = newPopulation(old.capacity * 2, run.regionIds.length)
  for (const [k, v] of Object.entries(old)) {
    if (ArrayBuffer.isView(v)) (next[k as keyof Population] as Float64Array).set(v as Float64Array)
  }
  next.dividend.base.set(old.dividend.base)
  next.dividend.group.set(old.dividend.group)
  next.revenue.base.set(old.revenue.base)
  next.n = old.n
  next.nextId = old.nextId
  next.dividend.n = old.n
  next.revenue.n = old.n
  run.pop = next
  const { divOut, revOut } = run
  run.divOut = splitBuffers(next.capacity)
  run.revOut = splitBuffers(next.capacity)
  run.divOut.fallbacks = divOut.fallbacks
  run.revOut.fallbacks = revOut.fallbacks
}

export { BYTES_PER_NODE }

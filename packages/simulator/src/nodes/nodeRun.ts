import { type ContributorNode, dividendShares, type EngineConfig, nodeFactors } from '@btt/core'
import type { SampledTier } from '../engine/buildCohorts.js'
import { SimulatorError } from '../errors.js'
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
  engine: EngineConfig
  epochDays: number
  /** Uptime factor (ppm) of a node that is down this epoch (uptime 0). */
  downUptimePpm: bigint
  divOut: SplitBuffers
  revOut: SplitBuffers
  /** Initial nodes that join after epoch 0, by join epoch (latest last). */
  pending: { epoch: number; tier: number; node: DrawnNode }[]
  /** Slots added this epoch whose dividend weights are not set yet ({@link resolveFactors}). */
  unresolved: number[]
  /** Month index (0-based) of each epoch. */
  monthOf: Int32Array
  /** Payback months of the starting nodes that have left, by tier (`NEVER_MONTHS`: never). */
  departedPayback: number[][]
  /** Nodes present from the start, and nodes among them that have paid back, by tier. */
  initial: Int32Array
  paidBack: Int32Array
  leftForLosses: Int32Array
}

/**
 * Sets up a run: its region list, and every initial node drawn (in tier order, then node order).
 * `monthOf` gives each epoch's month (for the payback months).
 */
export function startNodeRun(
  tiers: readonly SampledTier[],
  engine: EngineConfig,
  epochDays: number,
  capacity: number,
  rng: Rng,
  monthOf: Int32Array = new Int32Array(0),
): NodeRun {
  const regionIds = [...new Set(tiers.flatMap((t) => Object.keys(t.regions)))].sort()
  const run: NodeRun = {
    pop: newPopulation(capacity, regionIds.length),
    tiers,
    populations: tiers.map((t) => t.nodes ?? typicalPopulation(t)),
    regionIds,
    regionCount: new Int32Array(regionIds.length),
    tierRegions: tiers.map((t) => regionWeights(t)),
    engine,
    epochDays,
    downUptimePpm: factorsOf(engine, 'x', 1, { uptimePpm: 0 }).uptimePpm,
    divOut: splitBuffers(capacity),
    revOut: splitBuffers(capacity),
    pending: [],
    unresolved: [],
    monthOf,
    departedPayback: tiers.map(() => []),
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

/**
 * Adds one node, up or down by its process; its dividend weights are set by
 * {@link resolveFactors} before the epoch is split.
 */
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
  const stationaryUp = node.pRecover / (node.pRecover + node.pFail)
  const up = rng.next() < stationaryUp
  run.pop.up[i] = up ? 1 : 0
  run.pop.nextFlip[i] = epoch + epochsUntilFlip(up ? node.pFail : node.pRecover, rng)
  run.regionCount[r]!++
  run.unresolved.push(i)
}

/** Compute units at most this, so a revenue weight (units × uptime ppm) stays below 2^53. */
const MAX_UNITS = 2 ** 32

/**
 * Sets the dividend weights (up and down) of the nodes added this epoch from @btt/core's
 * factors: each factor is remembered by its own inputs, and the nodes with a factor not yet
 * known are handed to `dividendShares` in one call (its `factors` are `nodeFactors`' own).
 */
export function resolveFactors(run: NodeRun): void {
  const list = run.unresolved
  if (list.length === 0) return
  const c = factorCache(run.engine)
  const p = run.pop
  const keys = list.map((i) => {
    const units = p.gpuUnits[i]!
    if (!(units <= MAX_UNITS))
      throw new SimulatorError(
        'SIM_INVALID_SCENARIO',
        `A node has ${units} compute units (GPUs × units per GPU); at most ${MAX_UNITS} are simulated exactly.`,
        { details: { gpuUnits: units } },
      )
    return {
      units,
      uptime: p.uptimeWhenUpPpm[i]!,
      qos: p.latencyMs[i]! * 1e5 + Math.round(p.throughput[i]! * 10),
      energy: Math.round(p.gflopsPerWatt[i]! * 10),
    }
  })
  learnFactors(run, c, list, keys)
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!
    const key = keys[k]!
    const rest = c.units.get(key.units)! * c.qos.get(key.qos)! * c.energy.get(key.energy)!
    const up = rest * c.uptime.get(key.uptime)!
    if (up >= 1n << 96n)
      throw new SimulatorError(
        'SIM_INVALID_SCENARIO',
        `A node's dividend weight ${up} is 2^96 or more (the engine config's factors are too large to simulate exactly).`,
        { details: { weight: up.toString() } },
      )
    const down = rest * run.downUptimePpm
    setLimbs(p.scoreUp, i * 4, up)
    setLimbs(p.scoreDown, i * 4, down)
    let widest = up
    if (down > widest) widest = down
    p.dividend.width![i] = widest < 1n << 48n ? 2 : widest < 1n << 72n ? 3 : 4
    setState(p, i, p.up[i] === 1)
  }
  list.length = 0
}

type FactorKey = { units: number; uptime: number; qos: number; energy: number }

/** Fills the caches for every key with a factor not yet known, in one `dividendShares` call. */
function learnFactors(run: NodeRun, c: FactorCache, list: number[], keys: FactorKey[]): void {
  const p = run.pop
  const missing: { node: ContributorNode; key: FactorKey }[] = []
  keys.forEach((key, k) => {
    if (c.units.has(key.units) && c.uptime.has(key.uptime) && c.qos.has(key.qos))
      if (c.energy.has(key.energy)) return
    const i = list[k]!
    missing.push({
      key,
      node: {
        id: `n${k}`,
        region: 'x',
        gpuUnits: key.units,
        uptimePpm: key.uptime,
        latencyMs: p.latencyMs[i]!,
        throughput: p.throughput[i]!,
        gflopsPerWatt: p.gflopsPerWatt[i]!,
      },
    })
  })
  if (missing.length === 0) return
  // one node that always scores (so a batch of zero-scoring nodes still gets its factors)
  const sentinel = { ...FULL, id: 'sentinel', region: 'x' }
  const { shares } = dividendShares([...missing.map((m) => m.node), sentinel], 0n, run.engine)
  missing.forEach(({ key }, k) => {
    const f = shares[k]!.factors
    c.units.set(key.units, f.computeUnits)
    c.uptime.set(key.uptime, f.uptimePpm)
    c.qos.set(key.qos, f.qosPpm)
    c.energy.set(key.energy, f.energyPpm)
  })
}

const FULL = {
  gpuUnits: 1,
  uptimePpm: 1_000_000,
  latencyMs: 0,
  throughput: 1e6,
  gflopsPerWatt: 1e6,
}

/** @btt/core's factors by their own inputs (each factor depends only on its own inputs). */
type FactorCache = {
  units: Map<number, bigint>
  uptime: Map<number, bigint>
  /** By latency (ms) × 10^5 + throughput (tenths). */
  qos: Map<number, bigint>
  /** By GFLOPS per watt (tenths). */
  energy: Map<number, bigint>
}
const caches = new WeakMap<object, FactorCache>()

/** The factor caches of an engine config's dividend rules (kept across runs in a thread). */
function factorCache(engine: EngineConfig): FactorCache {
  let c = caches.get(engine.dividend)
  if (!c) {
    c = { units: new Map(), uptime: new Map(), qos: new Map(), energy: new Map() }
    caches.set(engine.dividend, c)
  }
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
  next.dividend.sums!.set(old.dividend.sums!)
  next.dividend.width!.set(old.dividend.width!)
  next.revenue.base.set(old.revenue.base)
  next.revenue.sums!.set(old.revenue.sums!)
  next.revenue.whole!.set(old.revenue.whole!)
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

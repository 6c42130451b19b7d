import type { DrawnNode } from './drawNode.js'
import type { SplitJob } from './exactSplit.js'

/** Bytes of state per node slot (typed arrays below, both splits' buffers included). */
export const BYTES_PER_NODE = 452

/**
 * Every node of a run, one slot each in typed arrays, in join order (slots are compacted when
 * nodes leave, so order is kept). The dividend and revenue weights are held as four 24-bit
 * limbs per node for {@link exactSplit}; they change only when a node's up/down state flips.
 */
export type Population = {
  n: number
  capacity: number
  nextId: number
  id: Int32Array
  tier: Uint8Array
  region: Int32Array
  joinEpoch: Int32Array
  gpuUnits: Float64Array
  investment: Float64Array
  /** Electricity per epoch while up (at its uptime within an up epoch), CNY. */
  powerCost: Float64Array
  uptimeWhenUpPpm: Int32Array
  pFail: Float64Array
  pRecover: Float64Array
  /** `Math.log1p(-pFail)` and `Math.log1p(-pRecover)`, for the waiting times. */
  logStayUp: Float64Array
  logStayDown: Float64Array
  up: Uint8Array
  /** The epoch at which the node's up/down state next flips. */
  nextFlip: Int32Array
  latencyMs: Float64Array
  throughput: Float64Array
  gflopsPerWatt: Float64Array
  sellShare: Float64Array
  /** The share of this epoch's rewards the node sells: `sellShare`, or 1 while it is losing money. */
  sellNow: Float64Array
  /** Dividend weight without the region factor (compute × uptime × QoS × energy), up and down. */
  scoreUp: Float64Array
  scoreDown: Float64Array
  /** The current epoch's weights: dividend (region is the group) and revenue (units × uptime). */
  dividend: SplitJob
  revenue: SplitJob
  monthProfit: Float64Array
  monthRewards: Float64Array
  cumulativeProfit: Float64Array
  lossStreak: Int16Array
  /** 1-based month the node earned its hardware back (0: not yet). */
  paybackMonth: Int16Array
  staked: Float64Array
  leaving: Uint8Array
  /** 1 for a node present from the start (the initial nodes, whatever their join date). */
  initial: Uint8Array
}

export function newPopulation(capacity: number, regions: number): Population {
  const f = () => new Float64Array(capacity)
  return {
    n: 0,
    capacity,
    nextId: 0,
    id: new Int32Array(capacity),
    tier: new Uint8Array(capacity),
    region: new Int32Array(capacity),
    joinEpoch: new Int32Array(capacity),
    gpuUnits: f(),
    investment: f(),
    powerCost: f(),
    uptimeWhenUpPpm: new Int32Array(capacity),
    pFail: f(),
    pRecover: f(),
    logStayUp: f(),
    logStayDown: f(),
    up: new Uint8Array(capacity),
    nextFlip: new Int32Array(capacity),
    latencyMs: f(),
    throughput: f(),
    gflopsPerWatt: f(),
    sellShare: f(),
    sellNow: f(),
    scoreUp: new Float64Array(capacity * 4),
    scoreDown: new Float64Array(capacity * 4),
    dividend: {
      n: 0,
      limbs: 4,
      base: new Float64Array(capacity * 4),
      group: new Int32Array(capacity),
      mult: new Array<bigint>(regions).fill(0n),
      sums: new Float64Array(regions * 4),
      width: new Uint8Array(capacity).fill(4),
    },
    revenue: {
      n: 0,
      limbs: 4,
      base: new Float64Array(capacity * 4),
      group: new Int32Array(capacity),
      mult: [1n],
      sums: new Float64Array(4),
      whole: f(),
    },
    monthProfit: f(),
    monthRewards: f(),
    cumulativeProfit: f(),
    lossStreak: new Int16Array(capacity),
    paybackMonth: new Int16Array(capacity),
    staked: f(),
    leaving: new Uint8Array(capacity),
    initial: new Uint8Array(capacity),
  }
}

/** Writes a non-negative integer below 2^96 as four 24-bit limbs at `at`. */
export function setLimbs(target: Float64Array, at: number, value: bigint): void {
  target[at] = Number(value & 0xffffffn)
  target[at + 1] = Number((value >> 24n) & 0xffffffn)
  target[at + 2] = Number((value >> 48n) & 0xffffffn)
  target[at + 3] = Number(value >> 72n)
}

const LIMB = 16_777_216

/**
 * Points a node's current weights at its up or down state, and keeps each split's per-group limb
 * sums (`sums`) up to date: a limb is below 2^24, so a sum stays an exact integer in float64 for
 * fewer than 2^29 nodes (the population bound keeps runs far below).
 */
export function setState(p: Population, i: number, up: boolean): void {
  const o = i * 4
  const d = p.dividend
  const ds = d.sums!
  const g = d.group[i]! * 4
  const from = up ? p.scoreUp : p.scoreDown
  for (let j = 0; j < 4; j++) {
    ds[g + j]! += from[o + j]! - d.base[o + j]!
    d.base[o + j] = from[o + j]!
  }
  // units × uptime (ppm): an integer below 2^53 (checked when the node joins), split with no bigint
  const w = up ? p.gpuUnits[i]! * p.uptimeWhenUpPpm[i]! : 0
  const r = p.revenue
  const rs = r.sums!
  // × 2^-48 and × 2^-24 are exact: the same as dividing
  const l2 = Math.floor(w * 2 ** -48)
  const l1 = Math.floor((w - l2 * LIMB * LIMB) * 2 ** -24)
  const l0 = w - l2 * LIMB * LIMB - l1 * LIMB
  rs[0]! += l0 - r.base[o]!
  rs[1]! += l1 - r.base[o + 1]!
  rs[2]! += l2 - r.base[o + 2]!
  r.base[o] = l0
  r.base[o + 1] = l1
  r.base[o + 2] = l2
  r.whole![i] = w
  p.up[i] = up ? 1 : 0
}

/** Recomputes each split's per-group limb sums from the weights (after nodes leave). */
export function resum(job: SplitJob): void {
  const sums = job.sums!
  sums.fill(0)
  for (let i = 0; i < job.n; i++) {
    const g = job.group[i]! * 4
    for (let j = 0; j < 4; j++) sums[g + j]! += job.base[i * 4 + j]!
  }
}

/** Appends a drawn node; its dividend weights (`scoreUp`/`scoreDown`) are set by the caller. */
export function appendNode(
  p: Population,
  node: DrawnNode,
  tier: number,
  region: number,
  epoch: number,
  initial: boolean,
): number {
  const i = p.n++
  p.id[i] = p.nextId++
  p.tier[i] = tier
  p.region[i] = region
  p.dividend.group[i] = region
  p.joinEpoch[i] = epoch
  p.gpuUnits[i] = node.gpuUnits
  p.investment[i] = node.investment
  p.powerCost[i] = node.powerCost * (node.uptimeWhenUpPpm / 1e6)
  p.uptimeWhenUpPpm[i] = node.uptimeWhenUpPpm
  p.pFail[i] = node.pFail
  p.pRecover[i] = node.pRecover
  p.logStayUp[i] = Math.log1p(-node.pFail)
  p.logStayDown[i] = Math.log1p(-node.pRecover)
  p.latencyMs[i] = node.latencyMs
  p.throughput[i] = node.throughput
  p.gflopsPerWatt[i] = node.gflopsPerWatt
  p.sellShare[i] = node.sellShare
  p.sellNow[i] = node.sellShare
  p.monthProfit[i] = 0
  p.monthRewards[i] = 0
  p.cumulativeProfit[i] = 0
  p.lossStreak[i] = 0
  p.paybackMonth[i] = 0
  p.staked[i] = 0
  p.leaving[i] = 0
  p.initial[i] = initial ? 1 : 0
  for (let j = 0; j < 4; j++) {
    p.dividend.base[i * 4 + j] = 0
    p.revenue.base[i * 4 + j] = 0
  }
  p.revenue.whole![i] = 0
  p.up[i] = 0
  p.dividend.n = p.n
  p.revenue.n = p.n
  return i
}

const PER_NODE: (keyof Population)[] = [
  'id',
  'tier',
  'region',
  'joinEpoch',
  'gpuUnits',
  'investment',
  'powerCost',
  'uptimeWhenUpPpm',
  'pFail',
  'pRecover',
  'logStayUp',
  'logStayDown',
  'up',
  'nextFlip',
  'latencyMs',
  'throughput',
  'gflopsPerWatt',
  'sellShare',
  'sellNow',
  'monthProfit',
  'monthRewards',
  'cumulativeProfit',
  'lossStreak',
  'paybackMonth',
  'staked',
  'leaving',
  'initial',
]

/** Removes the nodes marked `leaving`, keeping the others in join order. @returns nodes removed. */
export function compact(p: Population): number {
  // the runs of kept slots, moved down with copyWithin array by array
  const runs: number[] = []
  let w = 0
  for (let r = 0; r < p.n; ) {
    if (p.leaving[r]) {
      r++
      continue
    }
    let end = r
    while (end < p.n && !p.leaving[end]) end++
    if (w !== r) runs.push(w, r, end)
    w += end - r
    r = end
  }
  const removed = p.n - w
  if (removed === 0) return 0
  const perSlot = PER_NODE.map((k) => p[k] as Float64Array)
  perSlot.push(p.dividend.group as unknown as Float64Array)
  perSlot.push(p.dividend.width as unknown as Float64Array)
  perSlot.push(p.revenue.whole!)
  const quad = [p.scoreUp, p.scoreDown, p.dividend.base, p.revenue.base]
  for (let k = 0; k < runs.length; k += 3) {
    const [to, from, end] = [runs[k]!, runs[k + 1]!, runs[k + 2]!]
    for (const a of perSlot) a.copyWithin(to, from, end)
    for (const a of quad) a.copyWithin(to * 4, from * 4, end * 4)
  }
  p.n = w
  p.dividend.n = w
  p.revenue.n = w
  resum(p.dividend)
  resum(p.revenue)
  if (p.dividend.order) p.dividend.order.valid = false
  if (p.revenue.order) p.revenue.order.valid = false
  return removed
}

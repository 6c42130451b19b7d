import { bench, describe } from 'vitest'
import { defaultConfig } from '../config/parseConfig.js'
import { type ContributorNode, dividendShares } from './dividendShares.js'

let seed = 7
const next = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
  return seed
}
const regions = ['cn-east', 'cn-north', 'cn-south', 'cn-west', 'cn-central', 'cn-northeast']
const nodes: ContributorNode[] = Array.from({ length: 100_000 }, (_, i) => ({
  id: `node-${i}`,
  region: regions[next() % regions.length]!,
  gpuUnits: 20 + (next() % 400),
  accelerators: next() % 3,
  uptimePpm: 850_000 + (next() % 150_001),
  latencyMs: 50 + (next() % 1500),
  throughput: next() % 120,
  gflopsPerWatt: 20 + (next() % 80),
}))
const pool = 2_157_534n * 10n ** 18n

// Baseline: the same formula in float64 with a floor-and-dump-dust split — what a quick
// spreadsheet-style implementation does. Not exact; here only to price exactness.
function floatDividends(ns: readonly ContributorNode[], total: number): number[] {
  const c = defaultConfig.dividend
  const per = new Map<string, number>()
  for (const n of ns) per.set(n.region, (per.get(n.region) ?? 0) + 1)
  const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x))
  const scores = ns.map((n) => {
    const compute = n.gpuUnits + (n.accelerators ?? 0) * c.acceleratorUnits
    const up =
      n.uptimePpm <= c.uptime.floorPpm
        ? c.uptime.minPpm / 1e6
        : (c.uptime.minPpm +
            ((c.uptime.maxPpm - c.uptime.minPpm) * (n.uptimePpm - c.uptime.floorPpm)) /
              (1e6 - c.uptime.floorPpm)) /
          1e6
    const lat = clamp(
      (c.qos.maxLatencyMs - n.latencyMs) / (c.qos.maxLatencyMs - c.qos.targetLatencyMs),
      0,
      1,
    )
    const thr = Math.min(1, n.throughput / c.qos.targetThroughput)
    const qos = (c.qos.minPpm + (c.qos.maxPpm - c.qos.minPpm) * ((lat + thr) / 2)) / 1e6
    const count = per.get(n.region)!
    const damp = Math.min(1, c.region.targetNodesPerRegion / count)
    const region = clamp(
      ((c.region.bonusPpm[n.region] ?? 1e6) / 1e6) * damp,
      c.region.minPpm / 1e6,
      c.region.maxPpm / 1e6,
    )
    const energy = clamp(
      n.gflopsPerWatt / c.energy.referenceGflopsPerWatt,
      c.energy.minPpm / 1e6,
      c.energy.maxPpm / 1e6,
    )
    return compute * up * qos * region * energy
  })
  const sum = scores.reduce((a, b) => a + b, 0)
  return scores.map((s) => Math.floor((total * s) / sum))
}

describe('dividendShares over 100,000 nodes', () => {
  bench(
    'dividendShares (exact bigint, validated, with audit factors)',
    () => {
      dividendShares(nodes, pool)
    },
    { iterations: 5, warmupIterations: 1 },
  )

  bench(
    'baseline: float64 formula, floor split, no validation',
    () => {
      floatDividends(nodes, 2_157_534e18)
    },
    { iterations: 5, warmupIterations: 1 },
  )
})

import {
  type ContributorNode,
  dividendShares,
  shareContributorRevenue,
  splitRevenue,
} from '@btt/core'
import { afterAll, bench, describe } from 'vitest'
import { prepareVariant } from './engine/prepareVariant.js'
import { runOnce } from './engine/runOnce.js'
import { parseScenario } from './scenario/parseScenario.js'
import { readScenarioFile } from './scenario/readScenarioFile.js'

// The seed-model network (10,000 nodes at the start) over one month of daily epochs, two ways:
// the simulator's cohort engine, and a baseline that hands @btt/core one entry per node.
const scenario = { ...readScenarioFile('seed-model'), horizonMonths: 1, claims: [] }
const prepared = prepareVariant(parseScenario(scenario).variants[0]!)
const epochs = prepared.epochs
let nodeEpochsCohort = 0
let msCohort = 0

const tiers = prepared.variant.scenario.tiers
const nodes: ContributorNode[] = Object.entries(tiers).flatMap(([id, t]) =>
  Array.from({ length: t.initialNodes }, (_, i) => ({
    id: `${id}-${i}`,
    region: Object.keys(t.regions)[i % Object.keys(t.regions).length]!,
    gpuUnits: t.gpusPerNode * t.gpuUnitsPerGpu,
    uptimePpm: Math.round((t.uptime as number) * 1e6),
    latencyMs: t.latencyMs as number,
    throughput: t.throughputPerHour as number,
    gflopsPerWatt: t.gflopsPerWatt as number,
  })),
)

describe(`seed-model, ${nodes.length} nodes × ${epochs} daily epochs`, () => {
  bench(
    'simulator: cohort engine (runOnce)',
    () => {
      const t0 = performance.now()
      const r = runOnce(prepared, 0, 1)
      msCohort += performance.now() - t0
      nodeEpochsCohort += r.nodeEpochs
    },
    { iterations: 20, warmupIterations: 2 },
  )

  bench(
    'baseline: one core entry per node (dividendShares + revenue share each epoch)',
    () => {
      const weights = nodes.map((n) => BigInt(n.gpuUnits * n.uptimePpm))
      for (let e = 0; e < epochs; e++) {
        const split = splitRevenue(100_000_000n)
        shareContributorRevenue(split.contributors, weights)
        dividendShares(nodes, prepared.emission[e]!)
      }
    },
    { iterations: 2, warmupIterations: 0 },
  )
})

afterAll(() => {
  const perSecond = nodeEpochsCohort / (msCohort / 1000)
  const rss = process.resourceUsage().maxRSS / 1024
  console.log(
    `cohort engine: ${(perSecond / 1e6).toFixed(0)}M node-epochs/s on one thread; baseline: ${nodes.length * epochs} node-epochs per iteration; peak RSS ${rss.toFixed(0)} MiB`,
  )
})

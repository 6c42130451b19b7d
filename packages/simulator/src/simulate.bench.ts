import { type ContributorNode, dividendShares, shareContributorRevenue } from '@btt/core'
import { afterAll, bench, describe } from 'vitest'
import { prepareVariant } from './engine/prepareVariant.js'
import { type EpochView, runNodes } from './nodes/runNodes.js'
import { parseScenario } from './scenario/parseScenario.js'
import { readScenarioFile } from './scenario/readScenarioFile.js'

// seed-model's heterogeneous network (10,000 nodes at the start) over one month of daily
// epochs, two ways, every node evaluated every epoch by both:
// - the per-node engine (runNodes: uptime process, exact revenue and reward splits, booking);
// - the per-node reference: the same nodes handed to @btt/core one entry per node each epoch
//   (dividendShares + shareContributorRevenue), the loop the equality test checks it against.
// Behaviour needs months of history, so it is left out of this one-month network.
const raw = structuredClone(readScenarioFile('seed-model')) as Record<string, unknown> & {
  tiers: Record<string, Record<string, unknown>>
}
raw.horizonMonths = 1
raw.claims = []
for (const tier of Object.values(raw.tiers)) delete tier.behaviour
const prepared = prepareVariant(parseScenario(raw).variants[0]!)
const engine = prepared.variant.engine

// the reference's input: the engine's nodes as they were in each epoch of one run
const frames: { nodes: ContributorNode[]; supplied: bigint[]; pool: bigint; fen: bigint }[] = []
runNodes(prepared, 0, 1, ({ run, pool, contributorsFen }: EpochView) => {
  const p = run.pop
  const nodes: ContributorNode[] = []
  const supplied: bigint[] = []
  for (let i = 0; i < p.n; i++) {
    const uptimePpm = p.up[i] ? p.uptimeWhenUpPpm[i]! : 0
    nodes.push({
      id: `n${p.id[i]}`,
      region: run.regionIds[p.region[i]!]!,
      gpuUnits: p.gpuUnits[i]!,
      uptimePpm,
      latencyMs: p.latencyMs[i]!,
      throughput: p.throughput[i]!,
      gflopsPerWatt: p.gflopsPerWatt[i]!,
    })
    supplied.push(BigInt(p.gpuUnits[i]!) * BigInt(uptimePpm))
  }
  frames.push({ nodes, supplied, pool, fen: contributorsFen })
})
const referenceNodeEpochs = frames.reduce((a, f) => a + f.nodes.length, 0)

const measured = { engine: { nodeEpochs: 0, ms: 0 }, reference: { nodeEpochs: 0, ms: 0 } }

describe(`seed-model, ~${frames[0]!.nodes.length} heterogeneous nodes × ${prepared.epochs} daily epochs`, () => {
  bench(
    'per-node engine (runNodes), one thread',
    () => {
      const t0 = performance.now()
      const r = runNodes(prepared, 0, 1)
      measured.engine.ms += performance.now() - t0
      measured.engine.nodeEpochs += r.nodeEpochs
    },
    { iterations: 10, warmupIterations: 2 },
  )

  bench(
    'per-node reference: @btt/core one entry per node each epoch (dividendShares + shareContributorRevenue)',
    () => {
      const t0 = performance.now()
      for (const f of frames) {
        dividendShares(f.nodes, f.pool, engine)
        shareContributorRevenue(f.fen, f.supplied)
      }
      measured.reference.ms += performance.now() - t0
      measured.reference.nodeEpochs += referenceNodeEpochs
    },
    { iterations: 2, warmupIterations: 0 },
  )
})

afterAll(() => {
  const rate = (m: { nodeEpochs: number; ms: number }) =>
    `${(m.nodeEpochs / (m.ms / 1000) / 1e6).toFixed(2)}M node-epochs/s`
  const rss = process.resourceUsage().maxRSS / 1024
  console.log(
    `per-node engine: ${rate(measured.engine)}; per-node reference: ${rate(measured.reference)} (one thread each, every node every epoch; peak RSS ${rss.toFixed(0)} MiB)`,
  )
})

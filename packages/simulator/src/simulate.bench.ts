import { type ContributorNode, dividendShares, shareContributorRevenue } from '@btt/core'
import { afterAll, bench, describe } from 'vitest'
import { prepareVariant } from './engine/prepareVariant.js'
import { type EpochView, runNodes } from './nodes/runNodes.js'
import { parseScenario } from './scenario/parseScenario.js'
import { readScenarioFile } from './scenario/readScenarioFile.js'

// seed-model's heterogeneous network (10,000 nodes at the start, behaviour on) over its first
// year of daily epochs, two ways, every node evaluated every epoch by both:
// - the per-node engine (runNodes: drawing and joining nodes, uptime process, exact revenue and
//   reward splits, booking, monthly per-node statistics and exits), one whole year per iteration;
// - the per-node reference: the same nodes handed to @btt/core one entry per node each epoch
//   (dividendShares + shareContributorRevenue), the loop the equality test checks it against —
//   timed on the year's first month of epochs (its cost per node-epoch does not depend on which).
// Both rates are node-epochs per second of one thread.
const raw = structuredClone(readScenarioFile('seed-model')) as Record<string, unknown>
raw.horizonMonths = 12
raw.claims = []
const prepared = prepareVariant(parseScenario(raw).variants[0]!)
const engine = prepared.variant.engine

// the reference's input: the engine's nodes as they were in each epoch of the first month
const frames: { nodes: ContributorNode[]; supplied: bigint[]; pool: bigint; fen: bigint }[] = []
runNodes(prepared, 0, 1, ({ epoch, run, pool, contributorsFen }: EpochView) => {
  if (epoch >= 31) return
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

const measured = {
  engine: { nodeEpochs: 0, ms: 0, cpuMs: 0 },
  reference: { nodeEpochs: 0, ms: 0, cpuMs: 0 },
}
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
// each engine iteration draws a new network (its own seed): the factor caches warm as they would
// over a run of many seeds; the first one (the warm-up) is not counted
let seed = 1

describe(`seed-model, ~${frames[0]!.nodes.length} heterogeneous nodes at the start, ${prepared.epochs} daily epochs`, () => {
  bench(
    'per-node engine (runNodes), one thread',
    () => {
      const [t0, c0] = [performance.now(), cpuMs()]
      const r = runNodes(prepared, 0, ++seed)
      if (seed === 2) return
      measured.engine.ms += performance.now() - t0
      measured.engine.cpuMs += cpuMs() - c0
      measured.engine.nodeEpochs += r.nodeEpochs
    },
    { iterations: 4, warmupIterations: 1 },
  )

  bench(
    'per-node reference: @btt/core one entry per node each epoch (dividendShares + shareContributorRevenue)',
    () => {
      const [t0, c0] = [performance.now(), cpuMs()]
      for (const f of frames) {
        dividendShares(f.nodes, f.pool, engine)
        shareContributorRevenue(f.fen, f.supplied)
      }
      measured.reference.ms += performance.now() - t0
      measured.reference.cpuMs += cpuMs() - c0
      measured.reference.nodeEpochs += referenceNodeEpochs
    },
    { iterations: 1, warmupIterations: 0 },
  )
})

afterAll(() => {
  const perS = (m: { nodeEpochs: number }, ms: number) => m.nodeEpochs / (ms / 1000)
  const rate = (m: { nodeEpochs: number; ms: number; cpuMs: number }) =>
    `${(perS(m, m.ms) / 1e6).toFixed(2)}M node-epochs/s (${(perS(m, m.cpuMs) / 1e6).toFixed(2)}M per CPU-second)`
  const { engine: e, reference: r } = measured
  const rss = process.resourceUsage().maxRSS / 1024
  console.log(
    `per-node engine: ${rate(e)}; per-node reference: ${rate(r)}; engine / reference ${(perS(e, e.ms) / perS(r, r.ms)).toFixed(1)}× (one thread each, every node every epoch; peak RSS ${rss.toFixed(0)} MiB)`,
  )
})

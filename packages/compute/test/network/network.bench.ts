// Loopback load: 4 nodes, the tiny in-memory model, 200 jobs 32 at a time per run; jobs/s and
// the coordinator's own time per job (node time excluded) at p50/p99, in process and on Redis,
// beside a baseline that sends the same jobs straight to a node (no coordinator).
import { redisBinary, startRedis } from '@btt/testing'
import { afterAll, beforeAll, bench, describe } from 'vitest'
import { encodeFrame, FRAME_CONTENT_TYPE } from '../../src/network/frame.js'
import { type Coordinator, submitJob } from '../../src/network/index.js'
import { type Cluster, startCluster, tinyInput, tinyModel } from './cluster.js'

const JOBS = 200
const PARALLEL = 32
let tiny: Awaited<ReturnType<typeof tinyModel>>
const clusters: Record<string, Cluster> = {}
let redis: Awaited<ReturnType<typeof startRedis>> | undefined
let seq = 0

async function load(send: (n: number) => Promise<unknown>) {
  const t0 = performance.now()
  for (let i = 0; i < JOBS; i += PARALLEL)
    await Promise.all(Array.from({ length: Math.min(PARALLEL, JOBS - i) }, () => send(seq++)))
  return JOBS / ((performance.now() - t0) / 1000)
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN
}

function report(name: string, c: Coordinator, rates: number[]) {
  const { totalMs, verifyMs } = c.overhead
  console.log(
    `${name}: ${rates.map((r) => r.toFixed(0)).join(', ')} jobs/s over ${rates.length} runs; coordinator time per job p50 ${pct(totalMs, 50).toFixed(2)} ms, p99 ${pct(totalMs, 99).toFixed(2)} ms (of which receipt signature check p50 ${pct(verifyMs, 50).toFixed(2)} ms), ${totalMs.length} jobs`,
  )
}

const rates: Record<string, number[]> = { direct: [], local: [], redis: [] }
beforeAll(async () => {
  tiny = await tinyModel()
  clusters.local = await startCluster(tiny.model, {
    coordinator: { verifyFraction: 0 },
    nodes: [{}, {}, {}, {}],
  })
  if (redisBinary()) {
    redis = await startRedis()
    clusters.redis = await startCluster(tiny.model, {
      coordinator: { verifyFraction: 0, redis: redis.url },
      nodes: [{}, {}, {}, {}],
    })
  }
}, 60_000)
afterAll(async () => {
  console.log(
    `direct to a node (baseline): ${rates.direct!.map((r) => r.toFixed(0)).join(', ')} jobs/s`,
  )
  for (const name of ['local', 'redis'] as const)
    if (clusters[name]) report(name, clusters[name].coordinator, rates[name]!)
  for (const c of Object.values(clusters)) await c.stop()
  await redis?.stop()
})

const options = { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 }
describe('200 jobs, 32 in flight, 4 nodes', () => {
  bench(
    'baseline: straight to one node, no coordinator',
    async () => {
      const node = clusters.local!.nodes[0]!
      const modelHash = `0x${tiny.model.sha256}`
      rates.direct!.push(
        await load((n) =>
          fetch(`${node.url}/v1/jobs`, {
            method: 'POST',
            headers: { 'content-type': FRAME_CONTENT_TYPE },
            body: encodeFrame({ jobId: `direct-${n}`, modelHash, nonce: `0x${'1'.repeat(64)}` }, [
              tinyInput(n),
            ]),
          }).then((r) => r.arrayBuffer()),
        ),
      )
    },
    options,
  )
  for (const name of ['local', 'redis'] as const)
    bench(
      `through the coordinator (${name === 'local' ? 'in process, SQLite in memory' : 'BullMQ + Redis'})`,
      async () => {
        const c = clusters[name]
        if (!c) return
        const modelHash = `0x${tiny.model.sha256}`
        rates[name]!.push(
          await load((n) =>
            submitJob(
              { url: c.coordinator.url, apiKey: c.apiKey },
              { modelHash, input: tinyInput(n) },
            ),
          ),
        )
      },
      options,
    )
})

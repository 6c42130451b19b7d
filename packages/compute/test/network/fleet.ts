// The nodes and clinics of the load benchmark in their own process (as on other machines):
// `{ nodes, coordinator }` starts nodes registered there; `{ load, url, apiKey? }` sends jobs
// (through a coordinator with an API key, or straight to a node without) and answers jobs/s.
import { Wallet } from 'ethers'
import { encodeFrame, FRAME_CONTENT_TYPE } from '../../src/network/frame.js'
import { exchange } from '../../src/network/http.js'
import { type ComputeNode, createNode, submitJob } from '../../src/network/index.js'
import { removeDir, tinyInput, tinyModel } from './cluster.js'

const tiny = await tinyModel()
const modelHash = `0x${tiny.model.sha256}`
let nodes: ComputeNode[] = []
let seq = 0

type Request =
  | { nodes: number; coordinator: string }
  | { stopNodes: true }
  | { load: number; parallel: number; url: string; apiKey?: string }

async function load(r: Extract<Request, { load: number }>): Promise<number> {
  const send = (n: number) =>
    r.apiKey
      ? submitJob({ url: r.url, apiKey: r.apiKey }, { modelHash, input: tinyInput(n) })
      : exchange(`${r.url}/v1/jobs`, {
          method: 'POST',
          headers: { 'content-type': FRAME_CONTENT_TYPE },
          body: encodeFrame({ jobId: `direct-${n}`, modelHash, nonce: `0x${'1'.repeat(64)}` }, [
            tinyInput(n),
          ]),
          timeoutMs: 60_000,
        })
  const t0 = performance.now()
  let next = 0
  // `parallel` clinics, each sending its next job as soon as the last one is answered
  await Promise.all(
    Array.from({ length: r.parallel }, async () => {
      while (next < r.load) {
        next++
        await send(seq++)
      }
    }),
  )
  return r.load / ((performance.now() - t0) / 1000)
}

async function handle(r: Request): Promise<Record<string, unknown>> {
  if ('nodes' in r) {
    for (let i = 0; i < r.nodes; i++)
      nodes.push(
        await createNode({
          coordinator: r.coordinator,
          privateKey: Wallet.createRandom().privateKey,
          region: 'cn-east',
          models: [tiny.model],
        }),
      )
    return { urls: nodes.map((n) => n.url) }
  }
  if ('stopNodes' in r) {
    await Promise.all(nodes.map((n) => n.close()))
    nodes = []
    return { stopped: true }
  }
  return { jobsPerSecond: await load(r) }
}

process.on('message', (r: Request) => {
  handle(r).then(
    (answer) => process.send!(answer),
    (error: Error) => process.send!({ error: `${error.name}: ${error.message}` }),
  )
})
process.on('SIGTERM', async () => {
  await Promise.all(nodes.map((n) => n.close()))
  removeDir(tiny.dir)
  process.exit(0)
})
process.send!({ modelHash })

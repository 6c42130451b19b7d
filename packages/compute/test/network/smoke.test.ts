import { afterAll, beforeAll, expect, test } from 'vitest'
import { submitJob } from '../../src/network/index.js'
import { removeDir, startCluster, tinyInput, tinyModel } from './cluster.js'

let tiny: Awaited<ReturnType<typeof tinyModel>>
beforeAll(async () => {
  tiny = await tinyModel()
})
afterAll(() => removeDir(tiny.dir))

test('a job runs on a node and comes back with a verified receipt', async () => {
  const c = await startCluster(tiny.model, { nodes: [{}, {}] })
  try {
    const input = tinyInput(1)
    const r = await submitJob(
      { url: c.coordinator.url, apiKey: c.apiKey },
      { modelHash: `0x${tiny.model.sha256}`, input },
    )
    const mean = input.data.reduce((a, b) => a + b, 0) / 64
    expect(r.outputs[0]!.data[0]).toBeCloseTo(1 / (1 + Math.exp(-mean)), 5)
    expect(c.nodes.map((n) => n.address.toLowerCase())).toContain(
      r.header.signed.receipt.node.toLowerCase(),
    )
  } finally {
    await c.stop()
  }
})

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

test('a node registers by signing a challenge and advertises its capabilities; a replayed registration is refused', async () => {
  const c = await startCluster(tiny.model, {
    nodes: [{ region: 'cn-west', priceFloor: 3, powerWatts: 250 }],
  })
  try {
    const res = await fetch(`${c.coordinator.url}/v1/nodes`, {
      headers: { authorization: `Bearer ${c.apiKey}` },
    })
    const { nodes } = (await res.json()) as {
      nodes: { address: string; capabilities: Record<string, unknown> }[]
    }
    expect(nodes).toHaveLength(1)
    expect(nodes[0]!.address).toBe(c.nodes[0]!.address.toLowerCase())
    expect(nodes[0]!.capabilities).toMatchObject({
      models: [`0x${tiny.model.sha256}`],
      backend: 'cpu',
      accelerator: 'cpu',
      priceFloor: 3,
      region: 'cn-west',
      powerWatts: 250,
    })
    // a registration signed by another key than the address it names is refused
    const { challenge } = (await (
      await fetch(`${c.coordinator.url}/v1/nodes/challenge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { challenge: string }
    const { Wallet } = await import('ethers')
    const { registrationMessage } = await import('../../src/network/schemas.js')
    const body = {
      address: c.nodes[0]!.address,
      url: 'http://127.0.0.1:9',
      capabilities: nodes[0]!.capabilities as never,
      challenge,
    }
    const signature = await Wallet.createRandom().signMessage(registrationMessage(body))
    const refused = await fetch(`${c.coordinator.url}/v1/nodes/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, signature }),
    })
    expect(refused.status).toBe(401)
    const after = await fetch(`${c.coordinator.url}/v1/nodes`, {
      headers: { authorization: `Bearer ${c.apiKey}` },
    })
    const listed = (await after.json()) as { nodes: { url: string }[] }
    expect(listed.nodes[0]!.url).not.toBe('http://127.0.0.1:9')
  } finally {
    await c.stop()
  }
})

import { freePort } from '@btt/testing'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { analyze } from '../../src/analyze.js'
import { demoModelManifestPath } from '../../src/model/demoModel.js'
import { loadModel } from '../../src/model/loadModel.js'
import {
  type ComputeNode,
  createApiKey,
  createCoordinator,
  createNode,
  verifyReceipt,
} from '../../src/network/index.js'
import { syntheticChest } from '../../src/testing/syntheticChest.js'
import { writeDicom } from '../../src/testing/writeDicom.js'
import { captureProxy } from './proxy.js'

const identifiers = {
  patientName: 'Privacy^Patricia',
  patientId: 'PID-7731-SECRET',
  studyInstanceUid: '1.2.826.0.1.3680043.10.1398.777.1',
  seriesInstanceUid: '1.2.826.0.1.3680043.10.1398.777.2',
  sopInstanceUid: '1.2.826.0.1.3680043.10.1398.777.3',
}
const study = writeDicom({
  frames: [syntheticChest({ seed: 4, nodules: [{ x: 200, y: 220, radius: 18, contrast: 400 }] })],
  rows: 512,
  columns: 512,
  modality: 'DX',
  bodyPart: 'CHEST',
  ...identifiers,
})

let stop: () => Promise<void>
let url = ''
let apiKey = ''
let captured: () => Buffer[]
let model: Awaited<ReturnType<typeof loadModel>>
beforeAll(async () => {
  model = await loadModel(demoModelManifestPath(), { backend: 'cpu' })
  const coordinator = await createCoordinator({ verifyFraction: 1 })
  apiKey = await createApiKey(coordinator.store, 'clinic-p')
  const toCoordinator = await captureProxy(coordinator.port)
  const nodes: ComputeNode[] = []
  const toNodes: Awaited<ReturnType<typeof captureProxy>>[] = []
  for (let i = 0; i < 2; i++) {
    // each node is reached through a capturing proxy: its public URL is the proxy's
    const port = await freePort()
    const proxy = await captureProxy(port)
    nodes.push(
      await createNode({
        coordinator: coordinator.url,
        privateKey: Wallet.createRandom().privateKey,
        region: 'cn-east',
        models: [model],
        port,
        publicUrl: `http://127.0.0.1:${proxy.port}`,
      }),
    )
    toNodes.push(proxy)
  }
  url = `http://127.0.0.1:${toCoordinator.port}`
  captured = () => [toCoordinator.bytes(), ...toNodes.map((p) => p.bytes())]
  stop = async () => {
    await Promise.all(nodes.map((n) => n.close()))
    await coordinator.close()
    await Promise.all([toCoordinator, ...toNodes].map((p) => p.close()))
  }
}, 60_000)
afterAll(() => stop?.())

test('remote analysis gives the local findings and a verified receipt; no DICOM byte or identifier crosses the wire', async () => {
  const local = await analyze([{ name: 'a.dcm', bytes: study }], { backend: 'cpu' })
  const remote = await analyze([{ name: 'a.dcm', bytes: study }], {
    backend: 'remote',
    coordinator: { url, apiKey },
  })
  expect(remote.failures).toEqual([])
  expect(remote.backend.name).toBe('remote')
  expect(remote.images).toHaveLength(1)
  const [l, r] = [local.images[0]!.findings[0]!, remote.images[0]!.findings[0]!]
  expect(r.present).toBe(l.present)
  expect(r.probability).toBeCloseTo(l.probability, 4)
  expect(r.box).toEqual(l.box)
  expect(remote.receipts).toHaveLength(1)
  const receipt = remote.receipts![0]!
  expect(receipt.verifiedBy).toHaveLength(1)
  expect(verifyReceipt(receipt.signed, { modelHash: `0x${remote.model.sha256}` })).toMatch(/^0x/)
  // what crossed the wire, both hops, both directions
  const wire = Buffer.concat(captured())
  expect(wire.length).toBeGreaterThan(256 * 256 * 4)
  expect(wire.includes('DICM')).toBe(false)
  for (const value of Object.values(identifiers)) expect(wire.includes(value)).toBe(false)
  expect(wire.includes('Privacy')).toBe(false)
  // no 32-byte run of the file (header or pixels) appears anywhere
  let found = 0
  let sampled = 0
  for (let at = 132; at + 32 <= study.length; at += 997) {
    const run = Buffer.from(study.subarray(at, at + 32))
    if (new Set(run).size < 8) continue // a near-constant run says nothing about its source
    sampled++
    if (wire.includes(run)) found++
  }
  expect(sampled).toBeGreaterThan(100)
  expect(found).toBe(0)
}, 60_000)

test('a loaded model given with backend remote runs remotely too (its manifest is enough)', async () => {
  const result = await analyze([{ name: 'a.dcm', bytes: study }], {
    backend: 'remote',
    model,
    coordinator: { url, apiKey },
  })
  expect(result.backend.name).toBe('remote')
  expect(result.receipts).toHaveLength(1)
})

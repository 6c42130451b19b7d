import { redisBinary, startRedis } from '@btt/testing'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  buildEpochStatement,
  type ComputeNode,
  type Coordinator,
  closeEpoch,
  createApiKey,
  createCoordinator,
  createNode,
  type NodeAnswer,
  openRedisStore,
  serializeStatement,
  submitJob,
  tensorsHash,
  verifyEpoch,
  verifyReceipt,
} from '../../src/network/index.js'
import { signReceipt } from '../../src/network/receipt.js'
import { ask, startChild, stopChild } from './child.js'
import { removeDir, tinyInput, tinyModel } from './cluster.js'

let tiny: Awaited<ReturnType<typeof tinyModel>>
beforeAll(async () => {
  tiny = await tinyModel()
})
afterAll(() => removeDir(tiny.dir))

/** A dishonest node: adds 0.2 to every output and signs what it sends, so only the output is wrong. */
const dishonest =
  (wallet: { privateKey: string }) =>
  async (answer: NodeAnswer): Promise<NodeAnswer> => {
    const tensors = answer.tensors.map((t) => ({ ...t, data: t.data.map((v) => v + 0.2) }))
    const { receipt } = (
      answer.header as { signed: { receipt: Parameters<typeof signReceipt>[1] } }
    ).signed
    const signed = await signReceipt(wallet, { ...receipt, outputHash: tensorsHash(tensors) })
    return { header: { signed }, tensors }
  }

function seeded(seed: number) {
  let x = seed
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648
    return x / 2147483648
  }
}

/** What the test needs of a coordinator, here or in another process. */
type CoordinatorHandle = Pick<Coordinator, 'url' | 'store' | 'ping' | 'audit' | 'epoch'>

/** A coordinator process on Redis, driven over IPC; its store read here through Redis. */
async function coordinatorProcess(
  redis: string,
  seed: number,
): Promise<CoordinatorHandle & { stop(): Promise<void> }> {
  const { child, ready } = await startChild<{ url: string }>('coordinatorProcess.ts', [
    JSON.stringify({ redis, verifyFraction: 0.5, seed, pingEveryMs: 100 }),
  ])
  const store = await openRedisStore(redis)
  return {
    url: ready.url,
    store,
    ping: async () => void (await ask(child, { ping: true })),
    audit: async () => {
      await ask(child, { audit: true })
      return []
    },
    epoch: (o) => closeEpoch(store, o),
    async stop() {
      await stopChild(child)
      await store.close()
    },
  }
}

async function runNetwork(coordinators: CoordinatorHandle[], jobs: number) {
  const apiKey = await createApiKey(coordinators[0]!.store, 'clinic-a')
  const keys = [Wallet.createRandom(), Wallet.createRandom(), Wallet.createRandom()]
  const nodes: ComputeNode[] = []
  for (const [i, key] of keys.entries())
    nodes.push(
      await createNode({
        coordinator: coordinators[i % coordinators.length]!.url,
        privateKey: key.privateKey,
        region: i === 1 ? 'cn-west' : 'cn-east',
        models: [tiny.model],
        ...(i === 2 ? { tamper: dishonest(key) } : {}),
      }),
    )
  await Promise.all(coordinators.map((c) => c.ping()))
  const modelHash = `0x${tiny.model.sha256}`
  const results: Awaited<ReturnType<typeof submitJob>>[] = []
  for (let start = 0; start < jobs; start += 16) {
    const batch = Array.from({ length: Math.min(16, jobs - start) }, (_, k) => start + k)
    results.push(
      ...(await Promise.all(
        batch.map((n) =>
          submitJob(
            { url: coordinators[n % coordinators.length]!.url, apiKey },
            { modelHash, input: tinyInput(n + 1), requestId: `request-${n}` },
          ),
        ),
      )),
    )
    if (start % 64 === 0) await coordinators[0]!.audit()
  }
  await Promise.all(coordinators.map((c) => c.ping()))
  return { nodes, results, bad: nodes[2]!.address.toLowerCase(), modelHash }
}

async function checkEpoch(
  coordinator: CoordinatorHandle,
  jobs: number,
  bad: string,
  modelHash: string,
) {
  const records = await coordinator.store.jobs()
  expect(records).toHaveLength(jobs)
  expect(new Set(records.map((r) => r.jobId)).size).toBe(jobs)
  expect(records.every((r) => r.status === 'done')).toBe(true)
  for (const r of records)
    expect(verifyReceipt(r.signed, { jobId: r.jobId, modelHash }).toLowerCase()).toBe(
      r.signed!.receipt.node.toLowerCase(),
    )
  expect((await coordinator.store.stats(bad)).reputation).toBeLessThan(50)
  expect(records.some((r) => r.disputedBy.includes(bad))).toBe(true)
  const { statement, receipts, input } = await coordinator.epoch({
    epochId: 'e1',
    epoch: 0,
    epochSeconds: 3600,
  })
  const payout = statement.payout
  expect(payout.nodes.map((n) => n.address)).not.toContain(bad)
  const sum = (k: 'revenueShare' | 'emission') =>
    payout.nodes.reduce((t, n) => t + BigInt(n[k]), 0n)
  expect(sum('revenueShare')).toBe(BigInt(statement.revenue.contributors!))
  expect(sum('emission')).toBe(BigInt(statement.emission))
  expect(sum('revenueShare') + sum('emission')).toBe(
    BigInt(statement.revenue.contributors!) + BigInt(statement.emission),
  )
  expect(BigInt(statement.emission)).toBeGreaterThan(0n)
  // deterministic: the same receipts, in any order, give the same bytes; anyone can recompute
  const again = buildEpochStatement({ ...input, receipts: [...input.receipts].reverse() })
  expect(serializeStatement(again)).toBe(serializeStatement(statement))
  expect(verifyEpoch(serializeStatement(statement), JSON.stringify(receipts)).contentHash).toBe(
    statement.contentHash,
  )
  const forged = JSON.parse(serializeStatement(statement))
  forged.payout.nodes[0].revenueShare = String(BigInt(forged.payout.nodes[0].revenueShare) + 1n)
  expect(() => verifyEpoch(JSON.stringify(forged), JSON.stringify(receipts))).toThrow(/payout/)
}

test('a coordinator and three nodes, one dishonest: 300 jobs each once, the dishonest node caught and unpaid, receipts verify, payouts sum exactly', async () => {
  const coordinator = await createCoordinator({
    verifyFraction: 0.5,
    random: seeded(7),
    pingEveryMs: 100,
  })
  const { nodes, results, bad, modelHash } = await runNetwork([coordinator], 300)
  try {
    expect(results).toHaveLength(300)
    expect(coordinator.counters.receiptsRejected).toBe(0)
    await checkEpoch(coordinator, 300, bad, modelHash)
  } finally {
    await Promise.all(nodes.map((n) => n.close()))
    await coordinator.close()
  }
}, 120_000)

describe('on Redis', () => {
  test.skipIf(!redisBinary())(
    'two coordinator processes share the queue, registry and reputation',
    async () => {
      const redis = await startRedis()
      const a = await coordinatorProcess(redis.url, 7)
      const b = await coordinatorProcess(redis.url, 9)
      try {
        const { nodes, results, bad, modelHash } = await runNetwork([a, b], 200)
        try {
          expect(results).toHaveLength(200)
          expect(new Set(results.map((r) => r.header.jobId)).size).toBe(200)
          await checkEpoch(b, 200, bad, modelHash)
        } finally {
          await Promise.all(nodes.map((n) => n.close()))
        }
      } finally {
        await a.stop()
        await b.stop()
        await redis.stop()
      }
    },
    180_000,
  )
})

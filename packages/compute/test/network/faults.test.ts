import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { encodeFrame, FRAME_CONTENT_TYPE, tensorsHash } from '../../src/network/frame.js'
import {
  type NodeAnswer,
  openSqliteStore,
  signReceipt,
  submitJob,
  verifyReceipt,
} from '../../src/network/index.js'
import { removeDir, startCluster, tinyInput, tinyModel } from './cluster.js'

let tiny: Awaited<ReturnType<typeof tinyModel>>
let modelHash = ''
beforeAll(async () => {
  tiny = await tinyModel()
  modelHash = `0x${tiny.model.sha256}`
})
afterAll(() => removeDir(tiny.dir))

const expected = (seed: number) => {
  const d = tinyInput(seed).data
  return 1 / (1 + Math.exp(-d.reduce((a, b) => a + b, 0) / d.length))
}

/** One faulty node (first, in a region the job prefers) and one honest node. */
async function withFault(
  tamper: (answer: NodeAnswer) => NodeAnswer | Promise<NodeAnswer>,
  check: (c: Awaited<ReturnType<typeof startCluster>>, bad: string) => Promise<void>,
) {
  const c = await startCluster(tiny.model, {
    coordinator: { leaseMs: 400, verifyFraction: 0 },
    nodes: [{ region: 'cn-west', tamper }, { region: 'cn-east' }],
  })
  try {
    await check(c, c.nodes[0]!.address.toLowerCase())
  } finally {
    await c.stop()
  }
}

const run = (c: Awaited<ReturnType<typeof startCluster>>, seed: number) =>
  submitJob(
    { url: c.coordinator.url, apiKey: c.apiKey, region: 'cn-west' },
    { modelHash, input: tinyInput(seed) },
  )

describe('a faulty node: the job moves to another node and finishes once', () => {
  const cases: [string, (a: NodeAnswer) => NodeAnswer | Promise<NodeAnswer>][] = [
    ['crashes mid-job', () => Promise.reject(new Error('crash'))],
    ['hangs', () => new Promise<NodeAnswer>(() => {})],
    ['returns garbage', (a) => ({ header: { signed: 'garbage' }, tensors: a.tensors })],
    [
      'returns outputs that do not match its receipt',
      (a) => ({ ...a, tensors: a.tensors.map((t) => ({ ...t, data: t.data.map(() => 7) })) }),
    ],
  ]
  for (const [name, tamper] of cases)
    test(name, async () => {
      await withFault(tamper, async (c, bad) => {
        const r = await run(c, 3)
        expect(r.outputs[0]!.data[0]).toBeCloseTo(expected(3), 5)
        expect(r.header.signed.receipt.node.toLowerCase()).not.toBe(bad)
        expect((await c.coordinator.store.stats(bad)).jobsFailed).toBe(1)
        expect(await c.coordinator.store.jobs()).toHaveLength(1)
      })
    }, 30_000)

  test('returns the result of another job: refused by its receipt', async () => {
    let first: NodeAnswer | undefined
    await withFault(
      (a) => {
        first ??= a
        return first
      },
      async (c, bad) => {
        await run(c, 1)
        const r = await run(c, 2)
        expect(r.outputs[0]!.data[0]).toBeCloseTo(expected(2), 5)
        expect(r.header.signed.receipt.node.toLowerCase()).not.toBe(bad)
        expect(c.coordinator.counters.receiptsRejected).toBe(1)
      },
    )
  }, 30_000)

  test('answers slowly on purpose: its late answer is refused by the lease and never paid', async () => {
    await withFault(
      async (a) => {
        await new Promise((r) => setTimeout(r, 700))
        return a
      },
      async (c, bad) => {
        const r = await run(c, 4)
        expect(r.header.signed.receipt.node.toLowerCase()).not.toBe(bad)
        await new Promise((r) => setTimeout(r, 800))
        expect(c.coordinator.counters.lateRejected).toBe(1)
        const jobs = await c.coordinator.store.jobs()
        expect(jobs).toHaveLength(1)
        expect(jobs[0]!.signed!.receipt.node.toLowerCase()).not.toBe(bad)
      },
    )
  }, 30_000)
})

test('a job that fails on every node is dead-lettered with the reason', async () => {
  const c = await startCluster(tiny.model, {
    coordinator: { leaseMs: 300 },
    nodes: [{ tamper: () => Promise.reject(new Error('crash')) }],
  })
  try {
    const error = await run(c, 5).catch((e) => e)
    expect(error.code).toBe('COMPUTE_NETWORK_UNAVAILABLE')
    expect(error.details.status).toBe(503)
    expect(error.details.remoteCode).toBe('COMPUTE_JOB_FAILED')
    const [job] = await c.coordinator.store.jobs()
    expect(job!.status).toBe('failed')
    expect(job!.reason).toMatch(/COMPUTE_/)
    expect(c.coordinator.counters.deadLettered).toBe(1)
  } finally {
    await c.stop()
  }
}, 30_000)

describe('receipts', () => {
  const wallet = Wallet.createRandom()
  const receipt = {
    jobId: 'j1',
    modelHash: `0x${'1'.repeat(64)}`,
    inputHash: `0x${'2'.repeat(64)}`,
    outputHash: `0x${'3'.repeat(64)}`,
    startedAt: '1',
    finishedAt: '2',
    inferenceMicros: '3',
    node: wallet.address,
    nonce: `0x${'4'.repeat(64)}`,
  }
  test('forged, mutated or for another job / model / output / nonce: rejected', async () => {
    const good = await signReceipt(wallet, receipt)
    expect(verifyReceipt(good, receipt)).toBe(wallet.address)
    const forged = await signReceipt(Wallet.createRandom(), receipt)
    expect(() => verifyReceipt(forged)).toThrow(/not by the node/)
    const mutated = { ...good, receipt: { ...receipt, inferenceMicros: '4' } }
    expect(() => verifyReceipt(mutated)).toThrow(/not by the node/)
    for (const [key, value] of [
      ['jobId', 'j2'],
      ['modelHash', `0x${'5'.repeat(64)}`],
      ['outputHash', `0x${'6'.repeat(64)}`],
      ['nonce', `0x${'7'.repeat(64)}`],
    ])
      expect(() => verifyReceipt(good, { [key!]: value })).toThrow(
        expect.objectContaining({ code: 'COMPUTE_RECEIPT_INVALID' }),
      )
  })
  test('a replayed nonce closes no lease; a job is recorded (paid) once', async () => {
    const store = openSqliteStore()
    await store.openLease('n1', 'job', Date.now() + 10_000)
    expect(await store.closeLease('n1', 'job', Date.now())).toBe(true)
    expect(await store.closeLease('n1', 'job', Date.now())).toBe(false)
    await store.openLease('n2', 'job', Date.now() - 1)
    expect(await store.closeLease('n2', 'job', Date.now())).toBe(false)
    const record = {
      jobId: 'job',
      clinic: 'c',
      requestId: 'r',
      modelHash: 'm',
      status: 'done' as const,
      billed: '1',
      currency: 'CNY',
      usage: { gpuSeconds: 1, dataBytes: '0', urgency: 'routine' },
      verifiedBy: [],
      disputedBy: [],
      finishedAt: 1,
    }
    expect(await store.finishJob(record)).toBe(true)
    expect(await store.finishJob({ ...record, billed: '2' })).toBe(false)
    expect((await store.jobs()).map((j) => j.billed)).toEqual(['1'])
    await store.close()
  })
})

type Answer = { code: string; details: { reason?: string; issues?: unknown[] } }
const answer = async (r: Response) => (await r.json()) as Answer

describe('HTTP bad input: a 4xx with a reason, never a crash', () => {
  test('bodies, content types, keys and unknown models', async () => {
    const c = await startCluster(tiny.model, { nodes: [{}] })
    const post = (path: string, body: string | Buffer, type: string, key = c.apiKey) =>
      fetch(`${c.coordinator.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${key}` },
        body,
      })
    try {
      const frame = encodeFrame({ requestId: 'request-1', modelHash }, [tinyInput(1)])
      const wrongKey = await post('/v1/jobs', frame, FRAME_CONTENT_TYPE, 'btt_ck_nope')
      expect(wrongKey.status).toBe(401)
      expect(await wrongKey.json()).toEqual({
        code: 'COMPUTE_UNAUTHORIZED',
        message: 'A valid API key is required.',
        details: {},
      })
      const type = await post('/v1/jobs', frame, 'application/json')
      expect(type.status).toBe(415)
      const garbled = await post('/v1/jobs', Buffer.from('BTT1garbage'), FRAME_CONTENT_TYPE)
      expect(garbled.status).toBe(400)
      expect((await answer(garbled)).details.reason).toMatch(/magic|envelope/)
      const truncated = await post(
        '/v1/jobs',
        frame.subarray(0, frame.length - 4),
        FRAME_CONTENT_TYPE,
      )
      expect((await answer(truncated)).details.reason).toMatch(/past the end/)
      const big = await post('/v1/jobs', Buffer.alloc(65 << 20), FRAME_CONTENT_TYPE)
      expect(big.status).toBe(413)
      const json = await post('/v1/nodes/register', '{not json', 'application/json')
      expect(json.status).toBe(400)
      const shape = await post('/v1/nodes/register', '{"address":1}', 'application/json')
      expect((await answer(shape)).details.issues?.length).toBeGreaterThan(0)
      const unknown = encodeFrame(
        { jobId: 'j', modelHash: `0x${'9'.repeat(64)}`, nonce: `0x${'1'.repeat(64)}` },
        [tinyInput(1)],
      )
      const refused = await fetch(`${c.nodes[0]!.url}/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': FRAME_CONTENT_TYPE },
        body: unknown,
      })
      expect(refused.status).toBe(404)
      expect((await answer(refused)).code).toBe('COMPUTE_UNKNOWN_MODEL')
      const quote = await post(
        '/v1/quote',
        JSON.stringify({ frames: 4, bytes: 1 << 20 }),
        'application/json',
      )
      const q = (await quote.json()) as {
        currency: string
        total: string
        lines: { kind: string }[]
      }
      expect(q.currency).toBe('CNY')
      expect(BigInt(q.total)).toBeGreaterThan(0n)
      expect(q.lines.map((l) => l.kind)).toContain('gpu-time')
      expect((await post('/v1/quote', '{"frames":0}', 'application/json')).status).toBe(400)
      // still serving
      expect((await run(c, 9)).outputs[0]!.data[0]).toBeCloseTo(expected(9), 5)
    } finally {
      await c.stop()
    }
  }, 30_000)
})

test('tensorsHash binds names, dims and values', () => {
  const t = tinyInput(1)
  expect(tensorsHash([t])).not.toBe(tensorsHash([{ ...t, dims: [1, 1, 64, 1] }]))
  expect(tensorsHash([t])).toBe(tensorsHash([{ ...t, data: new Float32Array(t.data) }]))
})

test('a node that stops answering its pings gets no more work', async () => {
  const c = await startCluster(tiny.model, {
    coordinator: { pingEveryMs: 60_000 },
    nodes: [{}, {}],
  })
  try {
    const gone = c.nodes[0]!
    await gone.close()
    await c.coordinator.ping()
    await c.coordinator.ping()
    await c.coordinator.ping()
    for (let i = 0; i < 4; i++) {
      const r = await run(c, 20 + i)
      expect(r.header.signed.receipt.node.toLowerCase()).not.toBe(gone.address.toLowerCase())
    }
    expect((await c.coordinator.store.stats(gone.address)).jobsFailed).toBe(0)
    expect((await c.coordinator.store.stats(gone.address)).pingsOk).toBe(0)
  } finally {
    await c.stop()
  }
}, 30_000)

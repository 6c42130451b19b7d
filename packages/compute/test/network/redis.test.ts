import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { freePort, redisBinary, startRedis } from '@btt/testing'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  type ComputeNode,
  createApiKey,
  createCoordinator,
  createNode,
  submitJob,
} from '../../src/network/index.js'
import { removeDir, tinyInput, tinyModel } from './cluster.js'

let tiny: Awaited<ReturnType<typeof tinyModel>>
beforeAll(async () => {
  tiny = await tinyModel()
})
afterAll(() => removeDir(tiny.dir))

// the loader in this process's own node (no tsx wrapper process: SIGKILL must reach the server)
const tsx = createRequire(import.meta.url).resolve('tsx/esm')

/** Starts `coordinatorProcess.ts` in a child process and waits for it to listen. */
async function coordinatorProcess(redis: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      tsx,
      '--conditions=@btt/source',
      join(import.meta.dirname, 'coordinatorProcess.ts'),
      redis,
      String(port),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr!.on('data', (d) => {
    stderr = (stderr + d).slice(-2000)
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve())
    child.once('exit', (code) => reject(new Error(`coordinator process exited ${code}: ${stderr}`)))
  })
  return child
}

async function slowNodes(url: string, n: number): Promise<ComputeNode[]> {
  const nodes: ComputeNode[] = []
  for (let i = 0; i < n; i++)
    nodes.push(
      await createNode({
        coordinator: url,
        privateKey: Wallet.createRandom().privateKey,
        region: 'cn-east',
        models: [tiny.model],
        tamper: async (a) => {
          await new Promise((r) => setTimeout(r, 100))
          return a
        },
      }),
    )
  return nodes
}

/** Submits jobs `from..to` (by request id), each to `first` and, if that fails, to `second`. */
const submitAll = (apiKey: string, urls: [string, string], count: number) =>
  Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const job = {
        modelHash: `0x${tiny.model.sha256}`,
        input: tinyInput(n),
        requestId: `request-${n}`,
      }
      for (let attempt = 0; ; attempt++)
        try {
          return await submitJob({ url: urls[attempt % 2]!, apiKey, timeoutMs: 20_000 }, job)
        } catch (error) {
          if (attempt > 20) throw error
          await new Promise((r) => setTimeout(r, 300))
        }
    }),
  )

test.skipIf(!redisBinary())(
  'a coordinator killed (SIGKILL) with jobs in flight: every job finishes once, nothing is paid twice, the restarted process answers from the store',
  async () => {
    const redis = await startRedis()
    const port = await freePort()
    let killed: ChildProcess | undefined = await coordinatorProcess(redis.url, port)
    const b = await createCoordinator({ redis: redis.url, pingEveryMs: 200 })
    const nodes = await slowNodes(b.url, 3)
    try {
      const apiKey = await createApiKey(b.store, 'clinic-k')
      const a = `http://127.0.0.1:${port}`
      const running = submitAll(apiKey, [a, b.url], 40)
      await new Promise((r) => setTimeout(r, 400))
      killed.kill('SIGKILL')
      const results = await running
      expect(results).toHaveLength(40)
      const jobs = await b.store.jobs()
      expect(jobs).toHaveLength(40)
      expect(jobs.every((j) => j.status === 'done')).toBe(true)
      expect(new Set(results.map((r) => r.header.jobId)).size).toBe(40)
      killed = await coordinatorProcess(redis.url, port)
      const again = await submitJob(
        { url: a, apiKey },
        { modelHash: `0x${tiny.model.sha256}`, input: tinyInput(0), requestId: 'request-0' },
      )
      expect(again.header.signed).toEqual(results[0]!.header.signed)
      expect(await b.store.jobs()).toHaveLength(40)
    } finally {
      killed?.kill('SIGKILL')
      await Promise.all(nodes.map((n) => n.close()))
      await b.close()
      await redis.stop()
    }
  },
  120_000,
)

test.skipIf(!redisBinary())(
  'Redis restarted under load (append-only, fsync always): every job finishes once',
  async () => {
    const redis = await startRedis({ persistent: true })
    const c = await createCoordinator({ redis: redis.url, pingEveryMs: 200 })
    const nodes = await slowNodes(c.url, 2)
    try {
      const apiKey = await createApiKey(c.store, 'clinic-r')
      const running = submitAll(apiKey, [c.url, c.url], 30)
      await new Promise((r) => setTimeout(r, 300))
      await redis.restart()
      const results = await running
      expect(results).toHaveLength(30)
      const jobs = await c.store.jobs()
      expect(jobs).toHaveLength(30)
      expect(jobs.every((j) => j.status === 'done')).toBe(true)
    } finally {
      await Promise.all(nodes.map((n) => n.close()))
      await c.close()
      await redis.stop()
    }
  },
  120_000,
)

// Loopback load: a coordinator here (in process with SQLite in memory, or BullMQ + Redis), 4
// node agents and 32 clinics in a second process (as on other machines), 400 jobs per run with
// the tiny model. Per side: jobs/s, the coordinator's own time per job (node time excluded) at
// p50/p99, and the coordinator process's CPU per job (plus Redis's own on the Redis side); the
// baseline sends the same jobs from the same clinics straight to one node (no coordinator).
// One command: pnpm vitest bench --run packages/compute/test/network/network.bench.ts
import type { ChildProcess } from 'node:child_process'
import { redisBinary, startRedis } from '@btt/testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, bench, describe } from 'vitest'
import { type Coordinator, createApiKey, createCoordinator } from '../../src/network/index.js'
import { ask, startChild, stopChild } from './child.js'

const JOBS = 400
const PARALLEL = 32
const NODES = 4
type Side = 'baseline' | 'local' | 'redis'
type Run = { rate: number; cpuMs: number; redisCpuMs?: number; overhead: number[] }

let fleet: ChildProcess
let redis: Awaited<ReturnType<typeof startRedis>> | undefined
let redisClient: Redis | undefined
const coordinators: Partial<Record<'local' | 'redis', { c: Coordinator; apiKey: string }>> = {}
const nodeUrls: string[] = []
const runs: Record<Side, Run[]> = { baseline: [], local: [], redis: [] }

async function startSide(side: 'local' | 'redis') {
  if (side === 'redis') {
    redis = await startRedis()
    redisClient = new Redis(redis.url)
  }
  const c = await createCoordinator({
    verifyFraction: 0,
    auditEveryMs: 0,
    ...(side === 'redis' ? { redis: redis!.url } : {}),
  })
  const { urls } = await ask<{ urls: string[] }>(fleet, { nodes: NODES, coordinator: c.url })
  nodeUrls.splice(0, nodeUrls.length, ...urls)
  await c.ping()
  coordinators[side] = { c, apiKey: await createApiKey(c.store, 'clinic-bench') }
}

async function stopSide(side: 'local' | 'redis') {
  await ask(fleet, { stopNodes: true })
  await coordinators[side]?.c.close()
  redisClient?.disconnect()
  await redis?.stop()
  redis = undefined
  redisClient = undefined
}

beforeAll(async () => {
  fleet = (await startChild<{ modelHash: string }>('fleet.ts', [])).child
}, 120_000)

const redisCpuMs = async () => {
  const info = (await redisClient?.info('cpu')) ?? ''
  const f = (k: string) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0)
  return (f('used_cpu_user') + f('used_cpu_sys')) * 1000
}

let running: 'local' | 'redis' | undefined

async function measure(side: Side) {
  // each side runs alone: the other's nodes, coordinator (and Redis) stop before it starts
  const wanted = side === 'redis' ? 'redis' : 'local'
  if (wanted === 'redis' && !redisBinary()) return
  if (running !== wanted) {
    if (running) await stopSide(running)
    await startSide(wanted)
    running = wanted
  }
  const target = side === 'baseline' ? coordinators.local : coordinators[side]
  if (!target) return
  const seen = target.c.overhead.totalMs.length
  const [cpu0, r0] = [process.cpuUsage(), await redisCpuMs()]
  const { jobsPerSecond } = await ask<{ jobsPerSecond: number }>(fleet, {
    load: JOBS,
    parallel: PARALLEL,
    ...(side === 'baseline' ? { url: nodeUrls[0] } : { url: target.c.url, apiKey: target.apiKey }),
  })
  const cpu = process.cpuUsage(cpu0)
  runs[side].push({
    rate: jobsPerSecond,
    cpuMs: (cpu.user + cpu.system) / 1000 / JOBS,
    ...(side === 'redis' ? { redisCpuMs: ((await redisCpuMs()) - r0) / JOBS } : {}),
    overhead: side === 'baseline' ? [] : target.c.overhead.totalMs.slice(seen),
  })
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN
}
const range = (xs: number[], digits = 0) =>
  `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`

afterAll(async () => {
  const names: Record<Side, string> = {
    baseline: 'baseline: clinics straight to one node',
    local: 'coordinator in process (SQLite in memory)',
    redis: 'coordinator on BullMQ + Redis',
  }
  console.log(
    `\n${JOBS} jobs per run, ${PARALLEL} in flight, ${NODES} nodes; the warm-up run left out\n` +
      '| side | jobs/s | coordinator time per job p50 / p99 | coordinator CPU per job | Redis CPU per job |',
  )
  for (const side of ['baseline', 'local', 'redis'] as const) {
    const r = runs[side].slice(1)
    if (!r.length) continue
    const overhead = r.flatMap((x) => x.overhead)
    console.log(
      `| ${names[side]} | ${range(r.map((x) => x.rate))} | ${
        side === 'baseline'
          ? '—'
          : `${pct(overhead, 50).toFixed(2)} / ${pct(overhead, 99).toFixed(2)} ms`
      } | ${
        side === 'baseline'
          ? '—'
          : `${range(
              r.map((x) => x.cpuMs),
              2,
            )} ms`
      } | ${
        side === 'redis'
          ? `${range(
              r.map((x) => x.redisCpuMs ?? 0),
              2,
            )} ms`
          : '—'
      } |`,
    )
  }
  if (running) await stopSide(running)
  await stopChild(fleet)
})

const options = { iterations: 4, warmupIterations: 0, time: 0, warmupTime: 0 }
describe(`${JOBS} jobs, ${PARALLEL} in flight, ${NODES} nodes in another process`, () => {
  // the first of 4 runs per side is a warm-up (tinybench's own warm-up is off so it is counted)
  bench('baseline: straight to one node, no coordinator', () => measure('baseline'), options)
  bench('through the coordinator (in process, SQLite in memory)', () => measure('local'), options)
  bench('through the coordinator (BullMQ + Redis)', () => measure('redis'), options)
})

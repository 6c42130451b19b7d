import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import { listen } from '../network/listen.js'
import { parseArgs } from '../validate.js'
import { type AuditOutcome, runAudits } from './audit.js'
import { type CloseEpochOptions, closeEpoch } from './closeEpoch.js'
import type { CoordinatorContext, CoordinatorSettings } from './context.js'
import { pingNodes } from './health.js'
import { createLocalQueue } from './localQueue.js'
import { processJob } from './processJob.js'
import type { JobQueue } from './queue.js'
import { createHandler } from './server.js'
import { openSqliteStore } from './sqliteStore.js'
import type { CoordinatorStore } from './types.js'

export type CreateCoordinatorOptions = Partial<Omit<CoordinatorSettings, 'tolerances'>> & {
  port?: number
  host?: string
  /** The folder of the embedded SQLite store (keys, nodes, leases, jobs); in memory if omitted. */
  data?: string
  /** A Redis URL: jobs on BullMQ, registry, leases and reputation on Redis (shared by processes). */
  redis?: string
  /** Output tolerance per model hash (0x…), e.g. from manifests' `tolerance`. */
  tolerances?: Record<string, number>
  /** Jobs processed at once by this process; 64. */
  concurrency?: number
}

export type Coordinator = {
  url: string
  port: number
  store: CoordinatorStore
  /** Sends one known-answer audit to each node in good standing that can take one. */
  audit(): Promise<AuditOutcome[]>
  /** Pings every node once (the loop does this every `pingEveryMs`). */
  ping(): Promise<void>
  counters: CoordinatorContext['counters']
  /** The coordinator's own time per job answered by this process (ms, node time excluded). */
  overhead: CoordinatorContext['overhead']
  /** The epoch statement of the jobs recorded (by this and any process sharing the store). */
  epoch(options: CloseEpochOptions): ReturnType<typeof closeEpoch>
  close(): Promise<void>
}

const optionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  data: z.string().min(1).optional(),
  redis: z
    .string()
    .regex(/^rediss?:\/\//)
    .optional(),
  tolerances: z.record(z.string().regex(/^0x[0-9a-f]{64}$/), z.number().min(0)).optional(),
  concurrency: z.number().int().min(1).max(10_000).optional(),
  leaseMs: z.number().int().min(10).optional(),
  maxAttempts: z.number().int().min(1).max(20).optional(),
  verifyFraction: z.number().min(0).max(1).optional(),
  excludeBelow: z.number().min(0).max(100).optional(),
  secondsPerFrame: z.number().min(0).optional(),
  pingEveryMs: z.number().int().min(50).optional(),
  auditEveryMs: z.number().int().min(0).optional(),
  random: z.function().optional(),
})

/**
 * Starts a coordinator: clinics submit jobs with an API key and get the outputs and the verified
 * receipt; nodes register by signing a challenge; jobs are placed, leased, verified and recorded
 * (paid at most once). In-process queue and SQLite by default; BullMQ and Redis with `redis`.
 *
 * @returns the coordinator; `close()` stops it (jobs on Redis wait for another process).
 * @throws {ComputeError} `COMPUTE_INVALID_ARGUMENT`; `COMPUTE_NETWORK_UNAVAILABLE` (Redis).
 * @example
 * ```ts
 * import { createCoordinator, createApiKey } from '@btt/compute/network'
 * const coordinator = await createCoordinator({ port: 7400, data: './coordinator' })
 * console.log(await createApiKey(coordinator.store, 'clinic-1'))
 * ```
 */
export async function createCoordinator(
  options: CreateCoordinatorOptions = {},
): Promise<Coordinator> {
  parseArgs(optionsSchema, options, 'createCoordinator options')
  const settings: CoordinatorSettings = {
    leaseMs: options.leaseMs ?? 10_000,
    maxAttempts: options.maxAttempts ?? 3,
    verifyFraction: options.verifyFraction ?? 0.1,
    excludeBelow: options.excludeBelow ?? 50,
    tolerances: new Map(Object.entries(options.tolerances ?? {})),
    secondsPerFrame: options.secondsPerFrame ?? 0.05,
    pingEveryMs: options.pingEveryMs ?? 2000,
    auditEveryMs: options.auditEveryMs ?? 60_000,
    random: options.random ?? Math.random,
  }
  const redis = options.redis ? await import('./redisStore.js') : undefined
  const store = redis ? await redis.openRedisStore(options.redis!) : openSqliteStore(options.data)
  const ctx: CoordinatorContext = {
    store,
    settings,
    load: new Map(),
    known: [],
    missed: new Map(),
    counters: { lateRejected: 0, receiptsRejected: 0, deadLettered: 0 },
    spent: new Map(),
    overhead: { totalMs: [], verifyMs: [] },
    finished: new Map(),
    clinics: new Map(),
  }
  const processor = (job: Parameters<typeof processJob>[1]) => processJob(ctx, job)
  const queue: JobQueue = options.redis
    ? await (await import('./bullQueue.js')).createBullQueue(
        options.redis,
        processor,
        options.concurrency,
        async (id) => (await store.job(id)) !== undefined,
        settings.leaseMs * settings.maxAttempts,
      )
    : createLocalQueue(processor, options.concurrency)
  const server = createServer({ requestTimeout: 60_000 }, createHandler(ctx, queue))
  server.keepAliveTimeout = 30_000
  const host = options.host ?? '127.0.0.1'
  try {
    await listen(server, options.port ?? 0, host)
  } catch (error) {
    await queue.close()
    await store.close()
    throw error
  }
  const port = (server.address() as AddressInfo).port
  const timer = setInterval(() => {
    pingNodes(ctx).catch(() => {})
  }, settings.pingEveryMs)
  timer.unref()
  const audits = settings.auditEveryMs
    ? setInterval(() => {
        runAudits(ctx).catch(() => {})
      }, settings.auditEveryMs)
    : undefined
  audits?.unref()
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    counters: ctx.counters,
    overhead: ctx.overhead,
    audit: () => runAudits(ctx),
    ping: () => pingNodes(ctx),
    epoch: (o) => closeEpoch(store, o, settings.excludeBelow),
    async close() {
      clearInterval(timer)
      clearInterval(audits)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await queue.close()
      await store.close()
    },
  }
}

import { Redis } from 'ioredis'
import { ComputeError } from '../errors.js'
import {
  type CoordinatorStore,
  freshStats,
  type JobRecord,
  type NodeRecord,
  type NodeStats,
} from './types.js'

const P = 'btt:coord:'
const BUMP = `
redis.call('HSETNX', KEYS[1], 'reputation', 100)
for i = 1, #ARGV, 2 do redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i], ARGV[i + 1]) end
local r = tonumber(redis.call('HGET', KEYS[1], 'reputation'))
if r > 100 then redis.call('HSET', KEYS[1], 'reputation', 100) end
if r < 0 then redis.call('HSET', KEYS[1], 'reputation', 0) end
return 1`
const CLOSE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
return 0`
const FINISH = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2]) end
  redis.call('SADD', KEYS[3], ARGV[3])
  return 1
end
return 0`

/**
 * The shared store on Redis: every check-and-set (challenge use, lease close, job finish, counter
 * bump) is one atomic command or Lua script, so several coordinator processes agree; with
 * Redis persistence a restart loses nothing.
 *
 * @throws {ComputeError} `COMPUTE_NETWORK_UNAVAILABLE` when Redis cannot be reached.
 */
export async function openRedisStore(url: string): Promise<CoordinatorStore> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 20,
    connectTimeout: 5000,
  })
  // errors while Redis is away are retried by ioredis and surface on the commands themselves
  redis.on('error', () => {})
  try {
    await redis.connect()
  } catch (error) {
    redis.disconnect()
    throw new ComputeError('COMPUTE_NETWORK_UNAVAILABLE', `Redis at ${url} could not be reached.`, {
      cause: error,
      details: { url },
    })
  }
  const statsOf = (h: Record<string, string>): NodeStats => {
    const s = freshStats()
    for (const k of Object.keys(s) as (keyof NodeStats)[])
      if (h[k] !== undefined) s[k] = Number(h[k])
    return s
  }
  const addresses = async () => (await redis.hkeys(`${P}nodes`)).sort()
  return {
    addKey: async (hash, clinic) => void (await redis.hset(`${P}keys`, hash, clinic)),
    clinicOf: async (hash) => (await redis.hget(`${P}keys`, hash)) ?? undefined,
    putChallenge: async (c, at) =>
      void (await redis.set(`${P}ch:${c}`, '1', 'PX', Math.max(1, at - Date.now()))),
    takeChallenge: async (c) => (await redis.del(`${P}ch:${c}`)) === 1,
    putNode: async (n: NodeRecord) =>
      void (await redis.hset(`${P}nodes`, n.address.toLowerCase(), JSON.stringify(n))),
    nodes: async () => {
      const all = await redis.hgetall(`${P}nodes`)
      return Object.keys(all)
        .sort()
        .map((k) => JSON.parse(all[k]!) as NodeRecord)
    },
    stats: async (address) => statsOf(await redis.hgetall(`${P}stats:${address.toLowerCase()}`)),
    allStats: async () => {
      const list = await addresses()
      const pipe = redis.pipeline()
      for (const a of list) pipe.hgetall(`${P}stats:${a}`)
      const rows = (await pipe.exec()) ?? []
      return new Map(
        list.map((a, i) => [a, statsOf((rows[i]?.[1] ?? {}) as Record<string, string>)]),
      )
    },
    bump: async (address, delta) => {
      const args = Object.entries(delta).flatMap(([k, v]) => [k, String(v)])
      await redis.eval(BUMP, 1, `${P}stats:${address.toLowerCase()}`, ...args)
    },
    openLease: async (nonce, jobId, at) =>
      void (await redis.set(`${P}lease:${nonce}`, jobId, 'PX', Math.max(1, at - Date.now()))),
    closeLease: async (nonce, jobId) =>
      (await redis.eval(CLOSE_LEASE, 1, `${P}lease:${nonce}`, jobId)) === 1,
    finishJob: async (record: JobRecord, output?: Buffer) =>
      (await redis.eval(
        FINISH,
        3,
        `${P}job:${record.jobId}`,
        `${P}out:${record.jobId}`,
        `${P}jobs`,
        JSON.stringify(record),
        output ?? '',
        record.jobId,
      )) === 1,
    job: async (jobId) => {
      const [json, output] = await Promise.all([
        redis.get(`${P}job:${jobId}`),
        redis.getBuffer(`${P}out:${jobId}`),
      ])
      if (!json) return undefined
      const record = JSON.parse(json) as JobRecord
      return output ? { record, output } : { record }
    },
    jobs: async () => {
      const ids = (await redis.smembers(`${P}jobs`)).sort()
      const out: JobRecord[] = []
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await redis.mget(...ids.slice(i, i + 500).map((id) => `${P}job:${id}`))
        for (const r of rows) if (r) out.push(JSON.parse(r) as JobRecord)
      }
      return out
    },
    close: async () => {
      await redis.quit().catch(() => redis.disconnect())
    },
  }
}

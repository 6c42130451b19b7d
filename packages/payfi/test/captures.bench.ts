// Durable captures per second, every capture touching the same fee account (the hot account).
// 'payments API': each iteration captures K authorized payments concurrently through
// `payments.capture`: the payment row, the ledger post (net + fee legs), the idempotency key and
// the outbox event commit in one transaction. 'ledger': K posts of pending two-leg transfers
// (clearing → merchant net, clearing → fees) straight on the ledger. Group commit vs the
// baseline, one transaction (one fsync) per capture, on the same store.
// Run: pnpm vitest bench --run packages/payfi/test/captures.bench.ts
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, bench, describe } from 'vitest'
import { createPayments, openSqliteLedger, type PayfiStore, type Payments } from '../src/index.js'
import { openPostgresLedger } from '../src/postgres/index.js'
import { hasPostgres, startPostgres, type TestPostgres } from './postgres.js'

const K = 500
const K_LEDGER = 2000
const ITERATIONS = 5
const dir = mkdtempSync(join(tmpdir(), 'payfi-bench-'))
let pgServer: TestPostgres | undefined
const stores: PayfiStore[] = []
afterAll(async () => {
  for (const s of stores) await s.close()
  await pgServer?.stop()
  rmSync(dir, { recursive: true, force: true })
})

type Fixture = {
  pay: Payments
  queue: string[]
  captured: number
  ms: number
  /** CPU time of this process (user + system), ms: the figure the shared machine disturbs least. */
  cpuMs: number
  store: PayfiStore
}

let fixtures = 0

async function prepare(store: PayfiStore, n: number): Promise<Fixture> {
  stores.push(store)
  // a prefix of its own: fixtures sharing a PostgreSQL database must not replay each other's keys
  const run = `f${++fixtures}`
  const pay = createPayments(store)
  const queue: string[] = []
  for (let start = 0; start < n; start += 1000) {
    const created = await Promise.all(
      Array.from({ length: Math.min(1000, n - start) }, (_, i) =>
        pay.create(
          `m${i % 50}`,
          { amount: BigInt(10_000 + i), currency: 'CNY' },
          { idempotencyKey: `${run}-c${start + i}` },
        ),
      ),
    )
    await Promise.all(
      created.map((p) => pay.authorize(p.merchantId, p.id, { idempotencyKey: `a${p.id}` })),
    )
    queue.push(...created.map((p) => `${p.merchantId}/${p.id}`))
  }
  return { pay, queue, captured: 0, ms: 0, cpuMs: 0, store }
}

async function prepareLedger(store: PayfiStore, n: number): Promise<Fixture> {
  stores.push(store)
  const c = 'CNY'
  await store.createAccounts([
    { id: 'clearing', currency: c },
    { id: 'fees', currency: c, flags: { debitsMustNotExceedCredits: true } },
    ...Array.from(
      { length: 50 },
      (_, i) =>
        ({ id: `m${i}`, currency: c, flags: { debitsMustNotExceedCredits: true } }) as const,
    ),
  ])
  const queue: string[] = []
  for (let start = 0; start < n; start += 2000) {
    const ids = Array.from({ length: Math.min(2000, n - start) }, (_, i) => `auth-${start + i}`)
    await Promise.all(
      ids.map((id, i) =>
        store.write({
          id,
          pending: true,
          legs: [
            { debit: 'clearing', credit: `m${i % 50}`, amount: 9920n },
            { debit: 'clearing', credit: 'fees', amount: 80n },
          ],
          metadata: { payment_id: id },
        }),
      ),
    )
    queue.push(...ids)
  }
  return { pay: undefined as never, queue, captured: 0, ms: 0, cpuMs: 0, store }
}

async function postBatch(f: Fixture) {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const batch = f.queue.splice(0, K_LEDGER)
  const results = await Promise.all(batch.map((id) => f.store.write({ id: `cap-${id}`, post: id })))
  f.ms += performance.now() - t0
  const c = process.cpuUsage(c0)
  f.cpuMs += (c.user + c.system) / 1000
  f.captured += results.filter((r) => r.outcome === 'committed').length
}

async function captureBatch(f: Fixture) {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const batch = f.queue.splice(0, K)
  const captured = await Promise.all(
    batch.map((ref) => {
      const [m, id] = ref.split('/') as [string, string]
      return f.pay.capture(m, id, {}, { idempotencyKey: `cap-${id}` })
    }),
  )
  f.ms += performance.now() - t0
  const c = process.cpuUsage(c0)
  f.cpuMs += (c.user + c.system) / 1000
  f.captured += captured.filter((p) => p.status === 'captured' && p.version === 3).length
}

function report(name: string, f: Fixture | undefined) {
  if (f?.captured)
    console.log(
      `${name}: ${f.captured} captures in ${f.ms.toFixed(0)} ms = ${Math.round((f.captured / f.ms) * 1000)} captures/s` +
        ` (this process used ${f.cpuMs.toFixed(0)} ms CPU = ${Math.round((f.captured / f.cpuMs) * 1000)} per CPU-second)`,
    )
}

const opts = { iterations: ITERATIONS, time: 0, warmupIterations: 0, warmupTime: 0 }
const need = K * (ITERATIONS + 2)
const needLedger = K_LEDGER * (ITERATIONS + 2)
// the baselines are fsync-bound and slow: fewer iterations
const baselineOpts = { ...opts, iterations: 2 }
const needBaseline = K * 3

describe('SQLite (WAL, synchronous=FULL), hot fee account', () => {
  let grouped: Fixture | undefined
  let single: Fixture | undefined
  let ledger: Fixture | undefined
  bench('ledger: group commit', () => postBatch(ledger!), {
    ...opts,
    setup: async () => {
      ledger ??= await prepareLedger(openSqliteLedger(join(dir, 'ledger.db')), needLedger)
    },
    teardown: () => report('sqlite ledger posts, group commit', ledger),
  })
  bench('payments API: group commit', () => captureBatch(grouped!), {
    ...opts,
    setup: async () => {
      grouped ??= await prepare(openSqliteLedger(join(dir, 'grouped.db')), need)
    },
    teardown: () => report('sqlite group commit', grouped),
  })
  bench('payments API baseline: one transaction per capture', () => captureBatch(single!), {
    ...baselineOpts,
    setup: async () => {
      single ??= await prepare(
        openSqliteLedger(join(dir, 'single.db'), { maxBatch: 1 }),
        needBaseline,
      )
    },
    teardown: () => report('sqlite one transaction per capture', single),
  })
})

describe.skipIf(!hasPostgres)(
  'PostgreSQL 15 (fsync on, synchronous_commit on), hot fee account',
  () => {
    let grouped: Fixture | undefined
    let single: Fixture | undefined
    const url = async () => {
      pgServer ??= await startPostgres()
      return pgServer.url
    }
    let ledger: Fixture | undefined
    bench('ledger: group commit', () => postBatch(ledger!), {
      ...opts,
      setup: async () => {
        ledger ??= await prepareLedger(
          await openPostgresLedger({ connectionString: await url() }),
          needLedger,
        )
      },
      teardown: () => report('postgres ledger posts, group commit', ledger),
    })
    bench('payments API: group commit', () => captureBatch(grouped!), {
      ...opts,
      setup: async () => {
        grouped ??= await prepare(await openPostgresLedger({ connectionString: await url() }), need)
      },
      teardown: () => report('postgres group commit', grouped),
    })
    bench('payments API baseline: one transaction per capture', () => captureBatch(single!), {
      ...baselineOpts,
      setup: async () => {
        single ??= await prepare(
          await openPostgresLedger({ connectionString: await url(), maxBatch: 1 }),
          needBaseline,
        )
      },
      teardown: () => report('postgres one transaction per capture', single),
    })
  },
)

import { mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  accountIds,
  createPayments,
  openSqliteLedger,
  type PayfiStore,
  resolveOutcome,
} from '../src/index.js'
import { openPostgresLedger } from '../src/postgres/index.js'
import { hasPostgres, startPostgres, type TestPostgres } from './postgres.js'

/** A loopback TCP proxy that can cut the connection around the next COMMIT. */
function faultProxy(target: number) {
  const state = {
    arm: null as null | 'before-commit-reaches-server' | 'after-commit-reaches-server',
    /** Then the server is unreachable until this is cleared. */
    thenDown: false,
    down: false,
  }
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    if (state.down) {
      client.destroy()
      return
    }
    const upstream = connect(target, '127.0.0.1')
    sockets.add(client).add(upstream)
    upstream.on('data', (d) => client.write(d))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    client.on('close', () => upstream.end())
    client.on('data', (d) => {
      if (state.arm && d.includes('COMMIT')) {
        const when = state.arm
        state.arm = null
        if (when === 'after-commit-reaches-server')
          upstream.end(d) // the server commits, the answer is lost
        else upstream.destroy()
        client.destroy()
        if (state.thenDown) {
          state.down = true
          for (const s of sockets) if (s !== upstream) s.destroy()
        }
        return
      }
      upstream.write(d)
    })
  })
  return {
    state,
    listen: () =>
      new Promise<number>((r) =>
        server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)),
      ),
    close: () => {
      for (const s of sockets) s.destroy()
      return new Promise((r) => server.close(r))
    },
  }
}

describe.skipIf(!hasPostgres && !process.env.CI)(
  'PostgreSQL: the connection cut around COMMIT',
  () => {
    let server: TestPostgres
    let proxy: ReturnType<typeof faultProxy>
    let store: PayfiStore
    beforeAll(async () => {
      server = await startPostgres()
      proxy = faultProxy(Number(new URL(server.url).port))
      const port = await proxy.listen()
      store = await openPostgresLedger({
        connectionString: server.url.replace(/:\d+\//, `:${port}/`),
      })
    })
    afterAll(async () => {
      await store?.close()
      await proxy?.close()
      await server?.stop()
    })

    test('a lost COMMIT answer is settled by the store: committed, or refused with nothing written', async () => {
      await store.createAccounts([
        { id: 'a', currency: 'CNY' },
        { id: 'b', currency: 'CNY' },
      ])
      proxy.state.arm = 'after-commit-reaches-server'
      const lost = await store.write({ id: 't1', legs: [{ debit: 'a', credit: 'b', amount: 5n }] })
      expect(lost).toMatchObject({ outcome: 'committed', replayed: false })
      proxy.state.arm = 'before-commit-reaches-server'
      const cut = await store.write({ id: 't2', legs: [{ debit: 'a', credit: 'b', amount: 7n }] })
      expect(cut).toMatchObject({ outcome: 'refused', code: 'PAYFI_STORAGE_FAILED' })
      expect((await resolveOutcome(store, ['t2'])).outcome).toBe('absent')
      // the same ids again (never new ones): t1 is a no-op, t2 commits now
      expect(
        await store.write({ id: 't1', legs: [{ debit: 'a', credit: 'b', amount: 5n }] }),
      ).toMatchObject({ outcome: 'committed', replayed: true })
      expect(
        await store.write({ id: 't2', legs: [{ debit: 'a', credit: 'b', amount: 7n }] }),
      ).toMatchObject({ outcome: 'committed', replayed: false })
      expect((await store.getAccount('b'))!.creditsPosted).toBe(12n)
    })

    test('when the server cannot be asked, the answer is unknown; a later lookup of the ids resolves it', async () => {
      proxy.state.arm = 'after-commit-reaches-server'
      proxy.state.thenDown = true
      const r = await store.write({ id: 't3', legs: [{ debit: 'a', credit: 'b', amount: 11n }] })
      expect(r.outcome).toBe('unknown')
      if (r.outcome === 'unknown')
        expect(r.error).toMatchObject({
          code: 'PAYFI_OUTCOME_UNKNOWN',
          details: { transferIds: ['t3'] },
        })
      proxy.state.thenDown = false
      proxy.state.down = false
      expect((await resolveOutcome(store, ['t3'])).outcome).toBe('committed')
      expect((await store.getAccount('b'))!.creditsPosted).toBe(23n)
    })

    test('a payment call whose COMMIT answer is lost resolves through its idempotency key: one capture', async () => {
      const pay = createPayments(store)
      const p = await pay.create(
        'm1',
        { amount: 10_000n, currency: 'CNY' },
        { idempotencyKey: 'c' },
      )
      await pay.authorize('m1', p.id, { idempotencyKey: 'a' })
      proxy.state.arm = 'after-commit-reaches-server'
      const captured = await pay.capture('m1', p.id, {}, { idempotencyKey: 'cap' })
      expect(captured.status).toBe('captured')
      proxy.state.arm = 'before-commit-reaches-server'
      const refunded = await pay.refund('m1', p.id, { amount: 100n }, { idempotencyKey: 'r' })
      expect(refunded.amountRefunded).toBe(100n)
      expect((await store.getAccount(accountIds.clearing('CNY')))!.debitsPosted).toBe(10_000n)
      expect((await store.events(p.id)).map((e) => e.type)).toEqual([
        'payment.created',
        'payment.authorized',
        'payment.captured',
        'payment.refunded',
      ])
    })

    test('two stores (two processes) on one database: one key still makes one payment and one capture', async () => {
      const other = await openPostgresLedger({ connectionString: server.url })
      try {
        const a = createPayments(store)
        const b = createPayments(other)
        const both = [a, b]
        const made = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            both[i % 2]!.create(
              'm2',
              { amount: 3_000n, currency: 'CNY' },
              { idempotencyKey: 'one' },
            ),
          ),
        )
        expect(new Set(made.map((p) => p.id)).size).toBe(1)
        const id = made[0]!.id
        await Promise.all(both.map((x) => x.authorize('m2', id, { idempotencyKey: 'auth' })))
        const caps = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            both[i % 2]!.capture('m2', id, {}, { idempotencyKey: 'cap' }),
          ),
        )
        expect(new Set(caps.map((p) => p.version)).size).toBe(1)
        expect((await store.getAccount(accountIds.merchant('m2', 'CNY')))!.creditsPosted).toBe(
          caps[0]!.quote.net,
        )
        expect((await other.events(id)).map((e) => e.objectSeq)).toEqual([1, 2, 3])
      } finally {
        await other.close()
      }
    })

    test('the journal refuses UPDATE and DELETE', async () => {
      const c = new pg.Client({ connectionString: server.url })
      await c.connect()
      try {
        await expect(c.query("UPDATE payfi_transfers SET hash = 'x'")).rejects.toThrow(/immutable/)
        await expect(c.query('DELETE FROM payfi_entries')).rejects.toThrow(/immutable/)
      } finally {
        await c.end()
      }
    })
  },
)

describe('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'payfi-journal-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('the journal refuses UPDATE and DELETE', async () => {
    const path = join(dir, 'l.db')
    const store = openSqliteLedger(path)
    await store.createAccounts([
      { id: 'a', currency: 'CNY' },
      { id: 'b', currency: 'CNY' },
    ])
    await store.write({ id: 't', legs: [{ debit: 'a', credit: 'b', amount: 1n }] })
    await store.close()
    const db = new Database(path)
    expect(() => db.prepare("UPDATE transfers SET hash = 'x'").run()).toThrow(/immutable/)
    expect(() => db.prepare('DELETE FROM entries').run()).toThrow(/immutable/)
    db.close()
  })

  test('idempotency keys are kept for the whole window, then purged', async () => {
    let now = 1_700_000_000_000
    const store = openSqliteLedger(':memory:', { now: () => now })
    const pay = createPayments(store, { now: () => now, idempotencyRetentionMs: 540 * 86_400_000 })
    const p = await pay.create('m1', { amount: 100n, currency: 'CNY' }, { idempotencyKey: 'k' })
    now += 539 * 86_400_000
    expect(await store.purgeIdempotency(now)).toBe(0)
    expect(
      (await pay.create('m1', { amount: 100n, currency: 'CNY' }, { idempotencyKey: 'k' })).id,
    ).toBe(p.id)
    now += 2 * 86_400_000
    expect(await store.purgeIdempotency(now)).toBe(1)
    expect(await store.getIdempotency('m1', 'k')).toBeNull()
    await store.close()
  })
})

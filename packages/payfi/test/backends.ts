import { afterAll, beforeAll } from 'vitest'
import { openSqliteLedger, type PayfiStore } from '../src/index.js'
import { openPostgresLedger } from '../src/postgres/index.js'
import { hasPostgres, startPostgres, type TestPostgres } from './postgres.js'

export type Backend = {
  name: 'sqlite' | 'postgres'
  open: (now?: () => number) => Promise<PayfiStore>
}

/**
 * The two stores, for `describe.each`. PostgreSQL: one throw-away server per test file, one fresh
 * database per `open()`. Without the binaries the PostgreSQL suite is skipped locally and fails
 * under CI=1.
 */
export function backends(): Backend[] {
  let server: TestPostgres | undefined
  let n = 0
  const opened: PayfiStore[] = []
  beforeAll(async () => {
    if (hasPostgres) server = await startPostgres()
    else if (process.env.CI) throw new Error('PostgreSQL 15 binaries missing; CI requires them')
  })
  afterAll(async () => {
    for (const s of opened) await s.close().catch(() => undefined)
    await server?.stop()
  })
  const list: Backend[] = [
    {
      name: 'sqlite',
      open: async (now) => {
        const s = openSqliteLedger(':memory:', now ? { now } : {})
        opened.push(s)
        return s
      },
    },
  ]
  if (hasPostgres || process.env.CI)
    list.push({
      name: 'postgres',
      open: async (now) => {
        const pg = await import('pg')
        const admin = new pg.default.Client({ connectionString: server!.url })
        await admin.connect()
        const db = `t${++n}`
        await admin.query(`CREATE DATABASE ${db}`)
        await admin.end()
        const s = await openPostgresLedger({
          connectionString: server!.url.replace(/\/postgres$/, `/${db}`),
          ...(now ? { now } : {}),
        })
        opened.push(s)
        return s
      },
    })
  return list
}

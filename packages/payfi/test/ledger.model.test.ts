import fc from 'fast-check'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openSqliteLedger, type PayfiStore } from '../src/index.js'
import { openPostgresLedger } from '../src/postgres/index.js'
import { ledgerCommands, seedBoth } from './ledgerModel.js'
import { hasPostgres, startPostgres, type TestPostgres } from './postgres.js'
import { ReferenceLedger } from './referenceLedger.js'

const commands = fc.commands(ledgerCommands, { maxCommands: 40 })

test('SQLite ledger matches the reference ledger after every step', async () => {
  await fc.assert(
    fc.asyncProperty(commands, async (cmds) => {
      const ledger = openSqliteLedger(':memory:')
      try {
        const model = new ReferenceLedger()
        await seedBoth(model, { ledger })
        await fc.asyncModelRun(() => ({ model, real: { ledger } }), cmds)
      } finally {
        await ledger.close()
      }
    }),
    { numRuns: 150 },
  )
})

describe.skipIf(!hasPostgres && !process.env.CI)('PostgreSQL', () => {
  let server: TestPostgres
  let store: PayfiStore
  beforeAll(async () => {
    if (!hasPostgres)
      throw new Error(
        'PostgreSQL 15 binaries missing (/usr/lib/postgresql/15/bin); CI requires them',
      )
    server = await startPostgres()
    store = await openPostgresLedger({ connectionString: server.url })
  })
  afterAll(async () => {
    await store?.close()
    await server?.stop()
  })

  test('PostgreSQL ledger matches the reference ledger after every step', async () => {
    const admin = new pg.Client({ connectionString: server.url })
    await admin.connect()
    try {
      await fc.assert(
        fc.asyncProperty(commands, async (cmds) => {
          await admin.query('TRUNCATE payfi_accounts, payfi_transfers, payfi_entries')
          const model = new ReferenceLedger()
          await seedBoth(model, { ledger: store })
          await fc.asyncModelRun(() => ({ model, real: { ledger: store } }), cmds)
        }),
        { numRuns: 40 },
      )
    } finally {
      await admin.end()
    }
    expect(store.backend).toBe('postgres')
  })
})

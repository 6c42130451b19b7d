import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  createApiKey,
  createPayfiServer,
  createPayments,
  createWebhookDispatcher,
  openSqliteLedger,
  PayfiError,
  type PayfiStore,
} from '@btt/payfi'
import type { Io } from '../io.js'
import { removeDatabase } from '../outputFolder.js'
import { readInputText } from '../readInputFile.js'
import { untilStopped } from '../untilStopped.js'
import {
  deprecatedFlag,
  noPositionals,
  oneOf,
  requireFlags,
  subcommand,
  UsageError,
} from '../usage.js'
import { payfiReconcile, payfiReconcileUsage } from './payfiReconcile.js'

export const payfiUsage = `Usage:
  btt payfi serve [--ledger <ledger.sqlite> | --postgres <url>] [--host 127.0.0.1] [--port 8787]
                  [--webhook-url <url> --webhook-secret-file <file>]   deliver signed events
  btt payfi api-key create --merchant <id> [--ledger <ledger.sqlite> | --postgres <url>]
      prints a new API key once (only its sha-256 is stored)
  (--ledger defaults to payfi.sqlite; --db, its former name, still works with a notice)
${payfiReconcileUsage}`

async function openStore(values: {
  ledger?: string | undefined
  postgres?: string | undefined
}): Promise<PayfiStore> {
  if (values.postgres) {
    const { openPostgresLedger } = await import('@btt/payfi/postgres')
    return openPostgresLedger({ connectionString: values.postgres })
  }
  return openSqliteLedger(values.ledger ?? 'payfi.sqlite')
}

/** `btt payfi serve | api-key create`: the REST API over the ledger, and its keys. */
export async function payfiCommand(argv: string[], io: Io): Promise<number> {
  const [given, ...rest] = argv
  const sub = subcommand('btt payfi', given, ['serve', 'api-key', 'reconcile'])
  if (sub === 'reconcile') return payfiReconcile(rest, io)
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      ledger: { type: 'string' },
      db: { type: 'string' }, // the former name of --ledger
      postgres: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8787' },
      merchant: { type: 'string' },
      'webhook-url': { type: 'string' },
      'webhook-secret-file': { type: 'string' },
    },
  })
  deprecatedFlag(values, 'db', 'ledger', io.err)
  oneOf(values, ['ledger', 'postgres'])
  if (sub === 'api-key') {
    subcommand('btt payfi api-key', positionals[0], ['create'])
    noPositionals('btt payfi api-key create', positionals.slice(1))
    requireFlags('btt payfi api-key create', values, ['merchant'])
    // checked before the ledger is opened (created): the library's rule for merchant ids
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(values.merchant))
      throw new PayfiError(
        'PAYFI_INVALID_ARGUMENT',
        `--merchant must be 1-64 of A-Z a-z 0-9 _ -, got "${values.merchant.slice(0, 80)}".`,
        { details: { flag: 'merchant' } },
      )
    const store = await openStore(values)
    try {
      const key = await createApiKey(store, values.merchant)
      io.out.write(
        io.json ? `${JSON.stringify({ merchant: values.merchant, apiKey: key })}\n` : `${key}\n`,
      )
      return 0
    } finally {
      await store.close()
    }
  }
  noPositionals('btt payfi serve', positionals)
  const port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : Number.NaN
  if (!(port >= 0 && port <= 65_535))
    throw new UsageError(`--port must be a whole number 0-65535, got "${values.port}"`)
  if (Boolean(values['webhook-url']) !== Boolean(values['webhook-secret-file']))
    throw new UsageError('--webhook-url and --webhook-secret-file go together')
  if (values['webhook-url'] && !/^https?:\/\/[^/]/.test(values['webhook-url']))
    throw new UsageError(`--webhook-url must be an http(s) URL, got ${values['webhook-url']}`)
  const secret = values['webhook-secret-file']
    ? readSecret(values['webhook-secret-file'])
    : undefined
  const db = values.postgres ? undefined : (values.ledger ?? 'payfi.sqlite')
  const created = db !== undefined && !existsSync(db) // removed again if the port cannot be had
  const store = await openStore(values)
  const server = createPayfiServer({ store, payments: createPayments(store) })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(
        new PayfiError('PAYFI_INVALID_ARGUMENT', `Cannot listen on ${values.host}:${port}.`, {
          cause,
          details: { host: values.host, port },
        }),
      ),
    )
    server.listen(port, values.host, resolve)
  }).catch(async (error) => {
    await store.close()
    if (created) removeDatabase(db)
    throw error
  })
  let timer: NodeJS.Timeout | undefined
  if (values['webhook-url'] && secret !== undefined) {
    const endpoint = { url: values['webhook-url'], secret }
    const dispatcher = createWebhookDispatcher(store, { endpoint: () => endpoint })
    const tick = () => {
      dispatcher.runOnce().finally(() => {
        timer = setTimeout(tick, 1000)
      })
    }
    tick()
  }
  const address = server.address()
  io.out.write(
    `payfi API on http://${values.host}:${typeof address === 'object' && address ? address.port : port}/v1/payments\n`,
  )
  await untilStopped(io)
  clearTimeout(timer)
  await new Promise((r) => server.close(r))
  await store.close()
  return 0
}

function readSecret(file: string): string {
  let secret: string
  try {
    secret = readInputText(file).trim()
  } catch (cause) {
    throw new PayfiError('PAYFI_INVALID_ARGUMENT', `Cannot read the webhook secret file ${file}.`, {
      cause,
      details: { file },
    })
  }
  // signWebhook needs 16 characters: a shorter secret failed every delivery, silently
  if (secret.length < 16)
    throw new PayfiError(
      'PAYFI_INVALID_ARGUMENT',
      `The webhook secret in ${file} must have at least 16 characters.`,
      { details: { file, length: secret.length } },
    )
  return secret
}

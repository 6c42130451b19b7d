import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Io } from '../io.js'
import { makeFolder, outputFolderProblem, writeAtomic } from '../outputFolder.js'
import { readInputText } from '../readInputFile.js'
import { untilStopped } from '../untilStopped.js'
import { noPositionals, oneOf, requireFlags, subcommand, UsageError } from '../usage.js'

export const coordinatorUsage = `Usage:
  btt coordinator start [--port 7400] [--host 127.0.0.1] [--data <dir> | --redis <url>]
                        [--model <manifest.json>]... [--verify-fraction 0.1] [--lease-ms 10000]
      route clinics' jobs to contributor nodes (SQLite in --data, in memory without it;
      BullMQ and Redis with --redis); --model gives each model's output tolerance
  btt coordinator keys create --clinic <id> (--data <dir> | --redis <url>)
      prints a new clinic API key once (only its sha-256 is stored)
  btt coordinator epoch --epoch-id <id> --epoch <n> --epoch-seconds <s> --out <dir>
                        (--data <dir> | --redis <url>) [--since <ISO time>] [--until <ISO time>]
      writes statement.json (payouts, every node's factors, content hash) and receipts.json
      into --out (made when missing; earlier ones are never overwritten)
  btt coordinator verify-epoch <statement.json> <receipts.json>
      recomputes the statement from the receipts and compares byte for byte`

async function openStore(values: { data?: string | undefined; redis?: string | undefined }) {
  const network = await import('@btt/compute/network')
  if (values.redis) return network.openRedisStore(values.redis)
  await makeData(values.data)
  try {
    return network.openSqliteStore(values.data)
  } catch (cause) {
    throw await invalid(`--data ${values.data}: cannot open the coordinator store there.`, cause)
  }
}

/** --data, made one level at a time: the store's recursive mkdir loops forever under /proc. */
async function makeData(data: string | undefined): Promise<void> {
  if (data === undefined) return
  try {
    makeFolder(data)
  } catch (cause) {
    throw await invalid(`--data ${data}: cannot create the folder.`, cause)
  }
}

async function invalid(message: string, cause?: unknown) {
  const { ComputeError } = await import('@btt/compute')
  return new ComputeError('COMPUTE_INVALID_ARGUMENT', message, { cause })
}

/** An epoch's --out is a folder (or to be made) that holds no statement or receipts yet. */
async function checkEpochOut(out: string): Promise<void> {
  const problem = outputFolderProblem(out)
  if (problem) throw await invalid(`--out ${out} cannot be used: ${problem}.`)
  for (const name of ['statement.json', 'receipts.json'])
    if (existsSync(join(out, name)))
      throw await invalid(`--out ${out} already holds ${name}; it is never overwritten.`)
}

/** The epoch's numbers and times, each named when it is not one; --data must hold a store. */
async function epochNumbers(values: {
  epoch?: string | undefined
  'epoch-seconds'?: string | undefined
  since?: string | undefined
  until?: string | undefined
  data?: string | undefined
}) {
  if (
    values.data !== undefined &&
    !(existsSync(values.data) && statSync(values.data).isDirectory())
  )
    throw await invalid(
      `--data ${values.data} is not a coordinator's data folder (it does not exist).`,
    )
  const whole = async (flag: 'epoch' | 'epoch-seconds', min: number) => {
    const v = String(values[flag])
    if (!/^\d{1,15}$/.test(v) || Number(v) < min)
      throw await invalid(`--${flag} must be a whole number of at least ${min}, got "${v}".`)
    return Number(v)
  }
  const time = async (flag: 'since' | 'until') => {
    const v = values[flag]
    if (v === undefined) return {}
    const ms = Date.parse(v)
    if (!Number.isFinite(ms)) throw await invalid(`--${flag} must be an ISO 8601 time, got "${v}".`)
    return { [flag]: ms }
  }
  return {
    epoch: await whole('epoch', 0),
    epochSeconds: await whole('epoch-seconds', 1),
    ...(await time('since')),
    ...(await time('until')),
  }
}

/** A --model manifest, checked with the model loader's own schema (null or [] crashed start). */
async function readManifest(file: string) {
  const text = await readText(file)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw await invalid(`--model ${file} is not JSON.`, cause)
  }
  const { ComputeError, manifestSchema } = await import('@btt/compute')
  const parsed = manifestSchema.safeParse(json)
  if (!parsed.success)
    throw new ComputeError('COMPUTE_INVALID_MANIFEST', `--model ${file} is not a model manifest.`, {
      details: {
        file,
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    })
  return parsed.data
}

async function readText(file: string): Promise<string> {
  try {
    return readInputText(file, Number.POSITIVE_INFINITY)
  } catch (cause) {
    throw await invalid(`Cannot read ${file}.`, cause)
  }
}

/** `btt coordinator start | keys create | epoch | verify-epoch`. */
export async function coordinatorCommand(argv: string[], io: Io): Promise<number> {
  const [given, ...rest] = argv
  const sub = subcommand('btt coordinator', given, ['start', 'keys', 'epoch', 'verify-epoch'])
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '7400' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      redis: { type: 'string' },
      model: { type: 'string', multiple: true },
      'verify-fraction': { type: 'string' },
      'lease-ms': { type: 'string' },
      clinic: { type: 'string' },
      'epoch-id': { type: 'string' },
      epoch: { type: 'string' },
      'epoch-seconds': { type: 'string' },
      out: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
    },
  })
  checkUsage(sub, values, positionals)
  if (sub === 'keys') return keysCreate(values, io)
  if (sub === 'verify-epoch') return verify(positionals, io)
  if (sub === 'epoch') return epoch(values, io)
  return start(values, io)
}

type Flags = Record<string, string | string[] | undefined>

/** What each subcommand needs, checked before anything is loaded or opened. */
function checkUsage(sub: string, values: Flags, positionals: string[]): void {
  oneOf(values, ['data', 'redis'])
  if (sub === 'verify-epoch' && positionals.length !== 2)
    throw new UsageError(
      `"btt coordinator verify-epoch" takes <statement.json> <receipts.json>, got ${positionals.length} argument(s)`,
    )
  if (sub === 'keys') subcommand('btt coordinator keys', positionals[0], ['create'])
  if (sub !== 'verify-epoch')
    noPositionals(`btt coordinator ${sub}`, positionals.slice(sub === 'keys' ? 1 : 0))
  if (sub === 'keys') requireFlags('btt coordinator keys create', values, ['clinic'])
  if (sub === 'epoch')
    requireFlags('btt coordinator epoch', values, ['out', 'epoch-id', 'epoch', 'epoch-seconds'])
  if ((sub === 'keys' || sub === 'epoch') && !values.data && !values.redis)
    throw new UsageError(`"btt coordinator ${sub}" needs --data <dir> or --redis <url>`)
}

async function keysCreate(
  values: { clinic?: string | undefined; data?: string | undefined; redis?: string | undefined },
  io: Io,
): Promise<number> {
  const network = await import('@btt/compute/network')
  // checked before the store is created: the library's rule for clinic ids
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(values.clinic as string))
    throw await invalid(
      `--clinic must be 1-64 of A-Z a-z 0-9 _ . : -, got "${values.clinic?.slice(0, 80)}".`,
    )
  const store = await openStore(values)
  try {
    const key = await network.createApiKey(store, values.clinic as string)
    io.out.write(
      io.json ? `${JSON.stringify({ clinic: values.clinic, apiKey: key })}\n` : `${key}\n`,
    )
    return 0
  } finally {
    await store.close()
  }
}

async function verify(positionals: string[], io: Io): Promise<number> {
  const network = await import('@btt/compute/network')
  const s = network.verifyEpoch(await readText(positionals[0]!), await readText(positionals[1]!))
  io.out.write(
    io.json
      ? `${JSON.stringify({ ok: true, contentHash: s.contentHash })}\n`
      : `statement ${s.epochId} verified: ${s.contentHash}\n`,
  )
  return 0
}

async function epoch(
  values: {
    out?: string | undefined
    'epoch-id'?: string | undefined
    epoch?: string | undefined
    'epoch-seconds'?: string | undefined
    since?: string | undefined
    until?: string | undefined
    data?: string | undefined
    redis?: string | undefined
  },
  io: Io,
): Promise<number> {
  const network = await import('@btt/compute/network')
  const out = values.out as string
  await checkEpochOut(out)
  const numbers = await epochNumbers(values)
  const store = await openStore(values)
  try {
    const { statement, receipts } = await network.closeEpoch(store, {
      epochId: values['epoch-id'] as string,
      ...numbers,
    })
    try {
      makeFolder(out)
    } catch (cause) {
      throw await invalid(`Cannot create the folder ${out}.`, cause)
    }
    writeAtomic(join(out, 'statement.json'), network.serializeStatement(statement))
    writeAtomic(join(out, 'receipts.json'), `${JSON.stringify(receipts)}\n`)
    io.out.write(
      `wrote ${join(out, 'statement.json')} (${statement.contentHash}) and receipts.json\n`,
    )
    return 0
  } finally {
    await store.close()
  }
}

async function start(
  values: {
    port: string
    host: string
    data?: string | undefined
    redis?: string | undefined
    model?: string[] | undefined
    'verify-fraction'?: string | undefined
    'lease-ms'?: string | undefined
  },
  io: Io,
): Promise<number> {
  const { createCoordinator } = await import('@btt/compute/network')
  if (!/^\d+$/.test(values.port))
    throw await invalid(`--port must be a whole number, got "${values.port}".`)
  if (values.data && existsSync(values.data) && !statSync(values.data).isDirectory())
    throw await invalid(`--data ${values.data} is not a folder.`)
  for (const flag of ['verify-fraction', 'lease-ms'] as const) {
    const v = values[flag]
    if (v !== undefined && !(v.trim() !== '' && Number.isFinite(Number(v))))
      throw await invalid(`--${flag} must be a number, got "${v}".`)
  }
  const tolerances: Record<string, number> = {}
  for (const m of values.model ?? []) {
    const manifest = await readManifest(m)
    if (manifest.tolerance !== undefined) tolerances[`0x${manifest.sha256}`] = manifest.tolerance
  }
  await makeData(values.data)
  const coordinator = await createCoordinator({
    port: Number(values.port),
    host: values.host,
    ...(values.data ? { data: values.data } : {}),
    ...(values.redis ? { redis: values.redis } : {}),
    tolerances,
    ...(values['verify-fraction'] ? { verifyFraction: Number(values['verify-fraction']) } : {}),
    ...(values['lease-ms'] ? { leaseMs: Number(values['lease-ms']) } : {}),
  })
  io.out.write(
    `coordinator on ${coordinator.url} (${values.redis ? `Redis ${values.redis}` : values.data ? `SQLite in ${values.data}` : 'in memory'})\n`,
  )
  await untilStopped(io)
  await coordinator.close()
  return 0
}

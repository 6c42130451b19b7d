import { linkSync, unlinkSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Io } from '../io.js'
import { notARegularFile, readInputText } from '../readInputFile.js'
import { untilStopped } from '../untilStopped.js'
import { noPositionals, requireFlags, subcommand } from '../usage.js'

export const nodeUsage = `Usage:
  btt node start --coordinator <url> --key <keyfile> --region <code> [--model <manifest.json>]...
                 [--port <p>] [--host 127.0.0.1] [--public-url <url>] [--backend cpu|cuda|webgpu|auto]
                 [--price-floor <minor units>] [--power-watts <w>] [--gpu-units <n>]
      run jobs for a coordinator (the shipped demo model when no --model is given)
  btt node key create --out <keyfile>
      writes a new Ethereum private key (mode 600) and prints its address`

/** \`btt node start | key create\`: a contributor node agent. */
export async function nodeCommand(argv: string[], io: Io): Promise<number> {
  const [given, ...rest] = argv
  const sub = subcommand('btt node', given, ['start', 'key'])
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      coordinator: { type: 'string' },
      key: { type: 'string' },
      region: { type: 'string' },
      model: { type: 'string', multiple: true },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'public-url': { type: 'string' },
      backend: { type: 'string', default: 'cpu' },
      'price-floor': { type: 'string' },
      'power-watts': { type: 'string' },
      'gpu-units': { type: 'string' },
      out: { type: 'string' },
    },
  })
  if (sub === 'key') {
    subcommand('btt node key', positionals[0], ['create'])
    noPositionals('btt node key create', positionals.slice(1))
    requireFlags('btt node key create', values, ['out'])
    const { newNodeKey } = await import('@btt/compute/network')
    const wallet = newNodeKey()
    await writeKeyOnce(values.out, `${wallet.privateKey}\n`)
    io.out.write(
      io.json ? `${JSON.stringify({ address: wallet.address })}\n` : `${wallet.address}\n`,
    )
    return 0
  }
  noPositionals('btt node start', positionals)
  requireFlags('btt node start', values, ['coordinator', 'key', 'region'])
  const { createNode } = await import('@btt/compute/network')
  const { ComputeError, demoModelManifestPath, loadModel } = await import('@btt/compute')
  for (const flag of ['coordinator', 'public-url'] as const) {
    const url = values[flag]
    if (url !== undefined && !/^https?:\/\/[^/]/.test(url))
      throw new ComputeError(
        'COMPUTE_INVALID_ARGUMENT',
        `--${flag} must be an http(s) URL, got ${url}.`,
        {
          details: { flag, url },
        },
      )
  }
  const flags = numbers(values, ComputeError)
  for (const model of values.model ?? []) {
    const problem = notARegularFile(model) // a device or FIFO was read forever
    if (problem)
      throw new ComputeError('COMPUTE_UNREADABLE_MODEL', `--model ${problem}.`, {
        details: { model },
      })
  }
  const privateKey = await readKey(values.key)
  const backend = values.backend as 'cpu'
  const models = await Promise.all(
    (values.model?.length ? values.model : [demoModelManifestPath()]).map((m) =>
      loadModel(m, { backend }),
    ),
  )
  const node = await createNode({
    coordinator: values.coordinator,
    privateKey,
    region: values.region,
    models,
    host: values.host,
    ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
    ...flags,
  })
  io.out.write(
    `node ${node.address} on ${node.url}, serving ${models.map((m) => m.manifest.id).join(', ')} on ${models[0]!.backend.backend}\n`,
  )
  await untilStopped(io)
  await node.close()
  return 0
}

/** Writes a new key file atomically and never over an existing file (or folder). */
async function writeKeyOnce(out: string, text: string): Promise<void> {
  const { ComputeError } = await import('@btt/compute')
  const tmp = `${out}.${process.pid}.tmp`
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' })
    linkSync(tmp, out) // fails with EEXIST instead of replacing what is there
  } catch (cause) {
    const exists = (cause as NodeJS.ErrnoException).code === 'EEXIST'
    throw new ComputeError(
      'COMPUTE_INVALID_ARGUMENT',
      exists ? `${out} exists: a key is never overwritten.` : `Cannot write the key file ${out}.`,
      { cause, details: { out } },
    )
  } finally {
    try {
      unlinkSync(tmp)
    } catch {}
  }
}

/**
 * --port, --backend and the numeric flags, each named when it is not a number at all (the
 * library checks the bounds); refused before any model is loaded.
 */
function numbers(
  values: Record<string, string | string[] | undefined>,
  ComputeError: typeof import('@btt/compute').ComputeError,
) {
  const bad = (flag: string, why: string) =>
    new ComputeError('COMPUTE_INVALID_ARGUMENT', `--${flag} ${why}, got "${values[flag]}".`, {
      details: { flag, value: values[flag] },
    })
  if (!['auto', 'cpu', 'cuda', 'webgpu'].includes(String(values.backend)))
    throw bad('backend', 'must be auto, cpu, cuda or webgpu')
  const port = String(values.port)
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535)
    throw bad('port', 'must be a whole number from 0 to 65535')
  const out: { port: number; priceFloor?: number; powerWatts?: number; gpuUnits?: number } = {
    port: Number(port),
  }
  for (const [flag, key] of [
    ['price-floor', 'priceFloor'],
    ['power-watts', 'powerWatts'],
    ['gpu-units', 'gpuUnits'],
  ] as const) {
    const v = values[flag]
    if (v === undefined) continue
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN
    if (!Number.isFinite(n)) throw bad(flag, 'must be a finite number')
    out[key] = n
  }
  return out
}

async function readKey(file: string): Promise<string> {
  const { ComputeError } = await import('@btt/compute')
  let text: string
  try {
    text = readInputText(file).trim()
  } catch (cause) {
    throw new ComputeError('COMPUTE_INVALID_ARGUMENT', `Cannot read the key file ${file}.`, {
      cause,
      details: { file },
    })
  }
  const key = text.startsWith('0x') ? text : `0x${text}`
  if (!/^0x[0-9a-fA-F]{64}$/.test(key))
    throw new ComputeError(
      'COMPUTE_INVALID_ARGUMENT',
      `--key ${file} does not hold one 32-byte hex private key (as 'btt node key create' writes).`,
      { details: { file } },
    )
  return key
}

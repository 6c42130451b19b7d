import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Io } from '../io.js'
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
  const backend = values.backend as 'cpu'
  const models = await Promise.all(
    (values.model?.length ? values.model : [demoModelManifestPath()]).map((m) =>
      loadModel(m, { backend }),
    ),
  )
  const num = (v: string | undefined) => (v === undefined ? {} : Number(v))
  const node = await createNode({
    coordinator: values.coordinator,
    privateKey: await readKey(values.key),
    region: values.region,
    models,
    port: Number(values.port),
    host: values.host,
    ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
    ...(values['price-floor'] ? { priceFloor: num(values['price-floor']) as number } : {}),
    ...(values['power-watts'] ? { powerWatts: num(values['power-watts']) as number } : {}),
    ...(values['gpu-units'] ? { gpuUnits: num(values['gpu-units']) as number } : {}),
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

async function readKey(file: string): Promise<string> {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch (cause) {
    const { ComputeError } = await import('@btt/compute')
    throw new ComputeError('COMPUTE_INVALID_ARGUMENT', `Cannot read the key file ${file}.`, {
      cause,
      details: { file },
    })
  }
}

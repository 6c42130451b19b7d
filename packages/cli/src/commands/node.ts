import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Io } from '../io.js'
import { untilStopped } from '../untilStopped.js'

export const nodeUsage = `Usage:
  btt node start --coordinator <url> --key <keyfile> --region <code> [--model <manifest.json>]...
                 [--port <p>] [--host 127.0.0.1] [--public-url <url>] [--backend cpu|cuda|webgpu|auto]
                 [--price-floor <minor units>] [--power-watts <w>] [--gpu-units <n>]
      run jobs for a coordinator (the shipped demo model when no --model is given)
  btt node key create --out <keyfile>
      writes a new Ethereum private key (mode 600) and prints its address`

/** \`btt node start | key create\`: a contributor node agent. */
export async function nodeCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv
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
  const { createNode, newNodeKey } = await import('@btt/compute/network')
  if (sub === 'key' && positionals[0] === 'create' && values.out) {
    const wallet = newNodeKey()
    writeFileSync(`${values.out}.tmp`, `${wallet.privateKey}\n`, { mode: 0o600 })
    renameSync(`${values.out}.tmp`, values.out)
    io.out.write(
      io.json ? `${JSON.stringify({ address: wallet.address })}\n` : `${wallet.address}\n`,
    )
    return 0
  }
  if (sub !== 'start' || !values.coordinator || !values.key || !values.region) {
    io.err.write(`${nodeUsage}\n`)
    return 2
  }
  const { demoModelManifestPath, loadModel } = await import('@btt/compute')
  const backend = values.backend as 'cpu'
  const models = await Promise.all(
    (values.model?.length ? values.model : [demoModelManifestPath()]).map((m) =>
      loadModel(m, { backend }),
    ),
  )
  const num = (v: string | undefined) => (v === undefined ? {} : Number(v))
  const node = await createNode({
    coordinator: values.coordinator,
    privateKey: readFileSync(values.key, 'utf8').trim(),
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

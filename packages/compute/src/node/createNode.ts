import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Wallet } from 'ethers'
import { z } from 'zod'
import { ort } from '../backends/selectBackend.js'
import { ComputeError, toComputeError } from '../errors.js'
import type { LoadedModel } from '../model/loadModel.js'
import {
  decodeFrame,
  encodeFrame,
  FRAME_CONTENT_TYPE,
  MAX_FRAME_BYTES,
  type Tensor,
  tensorsHash,
} from '../network/frame.js'
import { readBody, sendBytes, sendError, sendJson } from '../network/http.js'
import { listen } from '../network/listen.js'
import { signReceipt } from '../network/receipt.js'
import { capabilitiesSchema, type JobHeader, jobHeaderSchema } from '../network/schemas.js'
import { parseArgs } from '../validate.js'
import { registerNode } from './registerNode.js'

/** What a node answers for a job, before it is encoded: a test hook may change it (faults). */
export type NodeAnswer = { header: Record<string, unknown>; tensors: Tensor[] }

export type CreateNodeOptions = {
  /** The coordinator's base URL, e.g. `http://127.0.0.1:7400`. */
  coordinator: string
  /** The node's Ethereum private key (0x…): it signs registrations and receipts. */
  privateKey: string
  region: string
  /** Loaded models the node serves (by content hash). */
  models: LoadedModel[]
  port?: number
  host?: string
  /** The URL the coordinator reaches this node at; `http://<host>:<port>` by default. */
  publicUrl?: string
  priceFloor?: number
  powerWatts?: number
  gpuUnits?: number
  /** Re-register this often, in ms (a restarted coordinator learns of the node again); 30 s. */
  registerEveryMs?: number
  /** For fault tests only: change the answer (or throw, or wait) before it is sent. */
  tamper?: (answer: NodeAnswer, job: JobHeader) => NodeAnswer | Promise<NodeAnswer>
}

export type ComputeNode = {
  address: string
  url: string
  /** Jobs run so far. */
  jobs(): number
  close(): Promise<void>
}

const optionsSchema = z.strictObject({
  coordinator: z.url(),
  privateKey: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  region: z.string().regex(/^[a-z0-9-]{2,32}$/),
  models: z
    .array(z.custom<LoadedModel>((m) => typeof m === 'object' && m !== null && 'session' in m))
    .min(1),
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  publicUrl: z.url().optional(),
  // the coordinator's bounds: a value it would refuse is refused here, as invalid input
  priceFloor: capabilitiesSchema.shape.priceFloor.optional(),
  powerWatts: capabilitiesSchema.shape.powerWatts.optional(),
  gpuUnits: capabilitiesSchema.shape.gpuUnits.optional(),
  registerEveryMs: z.number().int().min(100).optional(),
  tamper: z.function().optional(),
})

/**
 * Starts a contributor node: an HTTP server that runs jobs on the local backends of
 * @btt/compute and signs an EIP-712 receipt for each, registered with the coordinator by signing
 * its challenge. It refuses a job for a model hash it does not hold.
 *
 * @param options - coordinator URL, key, region, models, port…
 * @returns the node; `close()` stops it.
 * @throws {ComputeError} `COMPUTE_INVALID_ARGUMENT`; `COMPUTE_NETWORK_UNAVAILABLE` when the
 * coordinator refuses the registration.
 * @example
 * ```ts
 * import { loadModel, demoModelManifestPath } from '@btt/compute'
 * import { createNode } from '@btt/compute/network'
 * const node = await createNode({ coordinator: 'http://127.0.0.1:7400', privateKey, region: 'cn-east',
 *   models: [await loadModel(demoModelManifestPath())] })
 * ```
 */
export async function createNode(options: CreateNodeOptions): Promise<ComputeNode> {
  parseArgs(optionsSchema, options, 'createNode options')
  const wallet = new Wallet(options.privateKey)
  const models = new Map(options.models.map((m) => [`0x${m.sha256}`, m]))
  let count = 0
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => sendError(res, toComputeError(error)))
  })
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/v1/health') return sendJson(res, 200, { ok: true })
    if (req.method !== 'POST' || req.url !== '/v1/jobs')
      return sendJson(res, 404, { code: 'COMPUTE_BAD_REQUEST', message: 'No such route.' })
    const body = await readBody(req, { limit: MAX_FRAME_BYTES, contentType: FRAME_CONTENT_TYPE })
    const { header, tensors } = decodeFrame(body, jobHeaderSchema)
    let answer = await runJob(wallet, models, header, tensors)
    count++
    if (options.tamper) answer = await options.tamper(answer, header)
    sendBytes(res, FRAME_CONTENT_TYPE, encodeFrame(answer.header, answer.tensors))
  }
  const host = options.host ?? '127.0.0.1'
  await listen(server, options.port ?? 0, host)
  const port = (server.address() as AddressInfo).port
  const url = options.publicUrl ?? `http://${host}:${port}`
  const first = [...models.values()][0]!
  const registration = {
    coordinator: options.coordinator,
    wallet,
    url,
    capabilities: {
      models: [...models.keys()],
      backend: first.backend.backend,
      accelerator: first.backend.backend === 'cpu' ? 'cpu' : first.backend.reason.slice(0, 200),
      priceFloor: options.priceFloor ?? 0,
      region: options.region,
      powerWatts: options.powerWatts ?? 300,
      gpuUnits: options.gpuUnits ?? 10,
    },
  }
  try {
    await registerNode(registration)
  } catch (error) {
    server.close()
    throw error
  }
  const timer = setInterval(() => {
    registerNode(registration).catch(() => {})
  }, options.registerEveryMs ?? 30_000)
  timer.unref()
  return {
    address: wallet.address,
    url,
    jobs: () => count,
    close: async () => {
      clearInterval(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

async function runJob(
  wallet: Wallet,
  models: Map<string, LoadedModel>,
  header: JobHeader,
  tensors: Tensor[],
): Promise<NodeAnswer> {
  const model = models.get(header.modelHash)
  if (!model)
    throw new ComputeError(
      'COMPUTE_UNKNOWN_MODEL',
      `This node does not hold model ${header.modelHash}.`,
      {
        details: { modelHash: header.modelHash, status: 404 },
      },
    )
  const input = tensors[0]
  if (tensors.length !== 1 || input?.name !== model.manifest.input.name)
    throw new ComputeError(
      'COMPUTE_BAD_REQUEST',
      `A job carries one tensor, "${model.manifest.input.name}".`,
      {
        details: { reason: 'wrong input tensors', got: tensors.map((t) => t.name) },
      },
    )
  const startedAt = Date.now()
  const t0 = performance.now()
  let outputs: Record<string, { data: unknown; dims: readonly number[] }>
  try {
    outputs = await model.session.run({
      [input.name]: new (ort().Tensor)('float32', input.data, input.dims),
    })
  } catch (error) {
    throw new ComputeError(
      'COMPUTE_INFERENCE_FAILED',
      `Inference failed: ${(error as Error).message}`,
      {
        cause: error,
        details: { jobId: header.jobId },
      },
    )
  }
  const micros = Math.round((performance.now() - t0) * 1000)
  const out: Tensor[] = model.session.outputNames.map((name) => ({
    name,
    dims: [...outputs[name]!.dims],
    data: outputs[name]!.data as Float32Array,
  }))
  const signed = await signReceipt(wallet, {
    jobId: header.jobId,
    modelHash: header.modelHash,
    inputHash: tensorsHash(tensors),
    outputHash: tensorsHash(out),
    startedAt: String(startedAt),
    finishedAt: String(Date.now()),
    inferenceMicros: String(micros),
    node: wallet.address,
    nonce: header.nonce,
  })
  return { header: { signed }, tensors: out }
}

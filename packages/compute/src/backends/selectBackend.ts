import { createRequire } from 'node:module'
import { z } from 'zod'
import { ComputeError } from '../errors.js'
import { parseArgs } from '../validate.js'

export type BackendName = 'cpu' | 'cuda' | 'webgpu'
export type BackendRequest = 'auto' | BackendName | 'remote'
export type BackendChoice = { backend: BackendName; executionProviders: string[]; reason: string }

type Ort = typeof import('onnxruntime-node')
const require = createRequire(import.meta.url)
let ortModule: Ort | undefined
/** onnxruntime-node, loaded on first use. */
export function ort(): Ort {
  ortModule ??= require('onnxruntime-node') as Ort
  return ortModule
}

const probes = new Map<BackendName, Promise<string | null>>()

/** A one-node model to probe execution providers with. */
function probeModel(): Uint8Array {
  const { onnx } = require('onnx-proto') as typeof import('onnx-proto')
  const T = onnx.TensorProto.DataType
  const io = (name: string) => ({
    name,
    type: { tensorType: { elemType: T.FLOAT, shape: { dim: [{ dimValue: 1 }] } } },
  })
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'probe',
        node: [{ opType: 'Relu', input: ['x'], output: ['y'] }],
        input: [io('x')],
        output: [io('y')],
      },
    }),
  ).finish()
}

/**
 * Whether an execution provider works here, probed once per process: null when it does, else why
 * not. CUDA needs onnxruntime-node's CUDA provider files (its install script downloads them) and an
 * NVIDIA GPU; WebGPU is bundled (Dawn) and needs an adapter (a GPU with Vulkan here).
 */
export function probeBackend(backend: BackendName): Promise<string | null> {
  parseArgs(z.enum(['cpu', 'cuda', 'webgpu']), backend, 'backend')
  let probe = probes.get(backend)
  if (!probe) {
    probe = (async () => {
      if (backend === 'cpu') return null
      const listed = ort()
        .listSupportedBackends?.()
        .find((b) => b.name === backend)
      if (backend === 'cuda' && listed && !listed.bundled && !hasCudaProvider())
        return 'the CUDA provider is not installed (onnxruntime-node downloads it at install, which is disabled here) or no NVIDIA GPU'
      if (backend === 'webgpu' && !vulkanLoader()) return NO_ADAPTER
      try {
        const session = await ort().InferenceSession.create(probeModel(), {
          executionProviders: [backend],
          logSeverityLevel: 4,
        })
        await session.release()
        return null
      } catch (error) {
        const message = (error as Error).message
        if (backend === 'webgpu' && /adapter/i.test(message)) return NO_ADAPTER
        return message.split('\n')[0]!.slice(0, 200)
      }
    })()
    probes.set(backend, probe)
  }
  return probe
}

const NO_ADAPTER =
  "no WebGPU adapter (no GPU, or no Vulkan: the loader libvulkan.so.1 and the GPU driver's ICD)"

/**
 * Whether Dawn (WebGPU) can load the Vulkan loader on Linux, asked of the dynamic loader as Dawn
 * asks it (a library that loads is "not a Node module", one that is absent "cannot open"). Without
 * it Dawn prints a native warning with its source path on stderr that nothing here can silence, so
 * the probe is not made. True elsewhere (Dawn uses D3D12 or Metal there).
 */
function vulkanLoader(): boolean {
  if (process.platform !== 'linux') return true
  try {
    process.dlopen({ exports: {} }, 'libvulkan.so.1')
  } catch (error) {
    return !/cannot open shared object file/.test((error as Error).message)
  }
  return true
}

function hasCudaProvider(): boolean {
  try {
    const dir = require.resolve('onnxruntime-node').replace(/dist\/.*$/, 'bin/napi-v6/linux/x64/')
    return require('node:fs').existsSync(`${dir}libonnxruntime_providers_cuda.so`)
  } catch {
    return false
  }
}

export const backendRequestSchema = z.enum(['auto', 'cpu', 'cuda', 'webgpu', 'remote'])

const unavailable = (backend: string, reason: string) =>
  new ComputeError(
    'COMPUTE_BACKEND_UNAVAILABLE',
    `Backend "${backend}" is not available: ${reason}.`,
    {
      details: { backend, reason },
    },
  )

export type SelectBackendErrorType = ComputeError

/**
 * Picks the backend: a named one if it works (else `COMPUTE_BACKEND_UNAVAILABLE`), or for
 * `auto` the first that works of CUDA, WebGPU, CPU — with the reason for the choice.
 *
 * @param request - `auto`, `cpu`, `cuda`, `webgpu` or `remote`.
 * @returns the backend, its execution providers and why it was chosen.
 * @throws {ComputeError} `COMPUTE_BACKEND_UNAVAILABLE`, `COMPUTE_INVALID_ARGUMENT`.
 * @example
 * ```ts
 * import { selectBackend } from '@btt/compute'
 * const { backend, reason } = await selectBackend('auto')
 * ```
 */
export async function selectBackend(request: BackendRequest): Promise<BackendChoice> {
  parseArgs(backendRequestSchema, request, 'backend')
  if (request === 'remote')
    throw unavailable(
      'remote',
      'remote runs through analyze with `coordinator: { url, apiKey }` (a model loaded here cannot run remotely); use cpu, cuda, webgpu or auto',
    )
  if (request !== 'auto') {
    const why = await probeBackend(request)
    if (why) throw unavailable(request, why)
    return { backend: request, executionProviders: [request], reason: `${request} requested` }
  }
  const skipped: string[] = []
  for (const candidate of ['cuda', 'webgpu'] as const) {
    const why = await probeBackend(candidate)
    if (!why)
      return {
        backend: candidate,
        executionProviders: [candidate],
        reason: `auto: ${candidate} is available`,
      }
    skipped.push(`${candidate}: ${why}`)
  }
  return {
    backend: 'cpu',
    executionProviders: ['cpu'],
    reason: `auto: fell back to cpu (${skipped.join('; ')})`,
  }
}

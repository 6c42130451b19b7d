import { createHash } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { parseWithCode } from '@btt/core'
import { z } from 'zod'
import { ownSession } from '../analyze/releaseOutputs.js'
import {
  type BackendChoice,
  type BackendRequest,
  backendRequestSchema,
  ort,
  selectBackend,
} from '../backends/selectBackend.js'
import { ComputeError } from '../errors.js'
import { readRegularFile } from '../files/readRegularFile.js'
import { type ModelManifest, manifestSchema } from '../manifest/schema.js'
import { parseArgs } from '../validate.js'
import { checkManifest } from './checkManifest.js'

export { checkManifest } from './checkManifest.js'

export type LoadedModel = {
  manifest: ModelManifest
  sha256: string
  backend: BackendChoice
  session: import('onnxruntime-node').InferenceSession
  /** The largest batch the model accepts (Infinity when its batch dimension is dynamic). */
  maxBatch: number
}

export type LoadModelOptions = {
  backend?: BackendRequest
  /** Threads for one operator (onnxruntime intra-op); default: onnxruntime's own choice. */
  intraOpThreads?: number
}

const argsSchema = z.tuple([
  z.string().min(1),
  z.strictObject({
    backend: backendRequestSchema.optional(),
    intraOpThreads: z.number().int().min(1).max(1024).optional(),
  }),
])

export type LoadModelErrorType = ComputeError

const cache = new Map<string, Promise<LoadedModel>>()

/**
 * Loads a model from its manifest: validates the manifest, checks the model file's sha256, picks
 * the backend, creates the session once (cached per model, backend and threads), and checks that
 * the manifest matches the model's real inputs and outputs.
 *
 * @param manifestPath - path of the manifest JSON.
 * @param options - `{ backend?, intraOpThreads? }`.
 * @returns the loaded model (manifest, sha256, backend, session, largest batch).
 * @throws {ComputeError} `COMPUTE_UNREADABLE_MODEL`, `COMPUTE_INVALID_MANIFEST` (issues by path),
 * `COMPUTE_MODEL_HASH_MISMATCH`, `COMPUTE_MANIFEST_MISMATCH` (`details.problems`),
 * `COMPUTE_BACKEND_UNAVAILABLE`, `COMPUTE_INVALID_ARGUMENT`.
 * @example
 * ```ts
 * import { demoModelManifestPath, loadModel } from '@btt/compute'
 * const model = await loadModel(demoModelManifestPath(), { backend: 'cpu' })
 * ```
 */
export function loadModel(
  manifestPath: string,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  // zod only when the arguments are not plainly right (analyze calls this for every study)
  if (!plainArgs(manifestPath, options))
    parseArgs(argsSchema, [manifestPath, options], 'loadModel arguments')
  const key = `${resolve(manifestPath)}|${options.backend ?? 'cpu'}|${options.intraOpThreads ?? 0}`
  let loaded = cache.get(key)
  if (!loaded) {
    loaded = load(manifestPath, options)
    loaded.catch(() => cache.delete(key))
    cache.set(key, loaded)
  }
  return loaded
}

/** A non-empty path and no options, or only `backend: 'cpu'`: what `argsSchema` accepts as it is. */
function plainArgs(manifestPath: unknown, options: unknown): boolean {
  if (typeof manifestPath !== 'string' || manifestPath === '') return false
  if (typeof options !== 'object' || options === null) return false
  if (Object.getPrototypeOf(options) !== Object.prototype) return false
  for (const key in options)
    if (key !== 'backend' || (options as LoadModelOptions).backend !== 'cpu') return false
  return true
}

async function load(manifestPath: string, options: LoadModelOptions): Promise<LoadedModel> {
  const manifest = readManifest(manifestPath)
  const modelPath = resolve(dirname(manifestPath), manifest.model)
  const bytes = readModelFile(modelPath, 'model file')
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  if (sha256 !== manifest.sha256)
    throw new ComputeError(
      'COMPUTE_MODEL_HASH_MISMATCH',
      `${modelPath}: sha256 ${sha256} does not match the manifest's ${manifest.sha256}.`,
      {
        details: { file: modelPath, expected: manifest.sha256, actual: sha256 },
        metaMessages: [
          'The model file changed or is not the one the manifest describes; refusing to run it.',
        ],
      },
    )
  const backend = await selectBackend(options.backend ?? 'cpu')
  const session = await createSession(bytes, modelPath, backend, options)
  const problems = checkManifest(manifest, session)
  if (problems.length) {
    await session.release()
    throw new ComputeError(
      'COMPUTE_MANIFEST_MISMATCH',
      `${manifestPath}: the manifest does not match the model.`,
      {
        details: { file: manifestPath, problems },
        metaMessages: problems.map((p) => `- ${p}`),
      },
    )
  }
  const batch = manifest.input.shape[0]
  return {
    manifest,
    sha256,
    backend,
    session,
    maxBatch: batch === -1 ? Number.POSITIVE_INFINITY : batch,
  }
}

/** The largest model or manifest file read: 2 GiB. */
const maxModelBytes = 2 ** 31

function readModelFile(path: string, what: string): Buffer {
  return readRegularFile(
    path,
    maxModelBytes,
    (reason, cause) =>
      new ComputeError('COMPUTE_UNREADABLE_MODEL', `${path}: cannot read the ${what}: ${reason}.`, {
        cause,
        details: { file: path, code: (cause as NodeJS.ErrnoException)?.code ?? null },
      }),
  )
}

/** Reads and validates a manifest (no model file, no session): what a remote client needs. */
export function readManifest(manifestPath: string): ModelManifest {
  let raw: unknown
  try {
    raw = JSON.parse(readModelFile(manifestPath, 'manifest').toString('utf8'))
  } catch (error) {
    if (error instanceof ComputeError) throw error
    throw new ComputeError(
      'COMPUTE_INVALID_MANIFEST',
      `${manifestPath}: not JSON: ${(error as Error).message}.`,
      {
        cause: error,
        details: { file: manifestPath },
      },
    )
  }
  return parseWithCode(
    manifestSchema,
    raw,
    `model manifest ${manifestPath}`,
    ComputeError,
    'COMPUTE_INVALID_MANIFEST',
  )
}

async function createSession(
  bytes: Uint8Array,
  modelPath: string,
  backend: BackendChoice,
  options: LoadModelOptions,
): Promise<LoadedModel['session']> {
  try {
    const session = await ort().InferenceSession.create(bytes, {
      executionProviders: backend.executionProviders,
      graphOptimizationLevel: 'all',
      ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
    })
    return ownSession(session) // analyze frees what its runs return (releaseOutputs.ts)
  } catch (error) {
    throw new ComputeError(
      'COMPUTE_UNREADABLE_MODEL',
      `${modelPath}: onnxruntime cannot load the model: ${(error as Error).message}.`,
      {
        cause: error,
        details: { file: modelPath, backend: backend.backend },
      },
    )
  }
}

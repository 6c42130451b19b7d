import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ValidationError } from '@btt/core'
import {
  type BackendChoice,
  type BackendRequest,
  ort,
  selectBackend,
} from '../backends/selectBackend.js'
import { ManifestMismatchError, ModelHashMismatchError } from '../errors.js'
import { type ModelManifest, manifestSchema } from '../manifest/schema.js'

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

const cache = new Map<string, Promise<LoadedModel>>()

/**
 * Loads a model from its manifest: validates the manifest, checks the model file's sha256, picks
 * the backend, creates the session once (cached per model, backend and threads), and checks that
 * the manifest matches the model's real inputs and outputs.
 *
 * @param manifestPath - path of the manifest JSON.
 * @param options - `{ backend?, intraOpThreads? }`.
 * @throws {ValidationError} an invalid manifest.
 * @throws {ModelHashMismatchError} the model file is not the one the manifest names.
 * @throws {ManifestMismatchError} the manifest does not describe the model.
 * @throws {BackendUnavailableError} a named backend is not available.
 */
export function loadModel(
  manifestPath: string,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  const key = `${resolve(manifestPath)}|${options.backend ?? 'cpu'}|${options.intraOpThreads ?? 0}`
  let loaded = cache.get(key)
  if (!loaded) {
    loaded = load(manifestPath, options)
    loaded.catch(() => cache.delete(key))
    cache.set(key, loaded)
  }
  return loaded
}

async function load(manifestPath: string, options: LoadModelOptions): Promise<LoadedModel> {
  const raw = JSON.parse(readFileSync(manifestPath, 'utf8')) as unknown
  const parsed = manifestSchema.safeParse(raw)
  if (!parsed.success) throw new ValidationError(`model manifest ${manifestPath}`, parsed.error)
  const manifest = parsed.data
  const modelPath = resolve(dirname(manifestPath), manifest.model)
  const bytes = readFileSync(modelPath)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  if (sha256 !== manifest.sha256)
    throw new ModelHashMismatchError(modelPath, manifest.sha256, sha256)
  const backend = await selectBackend(options.backend ?? 'cpu')
  const session = await ort().InferenceSession.create(bytes, {
    executionProviders: backend.executionProviders,
    graphOptimizationLevel: 'all',
    ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
  })
  const problems = checkManifest(manifest, session)
  if (problems.length) {
    await session.release()
    throw new ManifestMismatchError(manifestPath, problems)
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

type Meta = { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }

/** Differences between the manifest and the model's inputs/outputs, as readable lines. */
export function checkManifest(
  manifest: ModelManifest,
  session: {
    inputNames: readonly string[]
    outputNames: readonly string[]
    inputMetadata?: readonly Meta[]
    outputMetadata?: readonly Meta[]
  },
): string[] {
  const problems: string[] = []
  const input = session.inputMetadata?.find((m) => m.name === manifest.input.name)
  if (!session.inputNames.includes(manifest.input.name))
    problems.push(
      `input "${manifest.input.name}" not in the model (it has ${session.inputNames.join(', ')})`,
    )
  else if (input?.shape) {
    if (input.type && input.type !== manifest.input.dtype)
      problems.push(`input dtype is ${input.type}, manifest says ${manifest.input.dtype}`)
    if (input.shape.length !== 4)
      problems.push(`input has rank ${input.shape.length}, manifest says 4`)
    else
      manifest.input.shape.forEach((d, i) => {
        const actual = input.shape![i]
        const dynamic = typeof actual === 'string' || actual === -1
        if (d === -1 && !dynamic && i !== 0)
          problems.push(`input dim ${i} is ${actual}, manifest says dynamic`)
        if (d !== -1 && !dynamic && actual !== d)
          problems.push(`input dim ${i} is ${actual}, manifest says ${d}`)
      })
  }
  for (const out of manifest.outputs) {
    if (!session.outputNames.includes(out.name)) {
      problems.push(
        `output "${out.name}" not in the model (it has ${session.outputNames.join(', ')})`,
      )
      continue
    }
    const meta = session.outputMetadata?.find((m) => m.name === out.name)
    if (!meta?.shape) continue
    if ((out.kind === 'heatmap' || out.kind === 'mask') && meta.shape.length !== 4)
      problems.push(`${out.kind} output "${out.name}" has rank ${meta.shape.length}, needs 4`)
    const channels = meta.shape[1]
    if (
      out.kind === 'mask' &&
      out.labels &&
      typeof channels === 'number' &&
      channels !== out.labels.length
    )
      problems.push(
        `mask output "${out.name}" has ${channels} channels, manifest lists ${out.labels.length} labels`,
      )
    const last = meta.shape.at(-1)
    if (
      out.kind === 'scores' &&
      out.labels &&
      typeof last === 'number' &&
      last !== out.labels.length
    )
      problems.push(
        `output "${out.name}" has ${last} classes, manifest lists ${out.labels.length} labels`,
      )
  }
  return problems
}

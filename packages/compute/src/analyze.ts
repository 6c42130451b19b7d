import { z } from 'zod'
import { collectInputs } from './analyze/collectInputs.js'
import { type DecodeStats, decodeFrames } from './analyze/decodeInputs.js'
import { runBatches } from './analyze/runBatches.js'
import type { AnalysisResult, AnalyzeOptions, StudyInput } from './analyze/types.js'
import { backendRequestSchema } from './backends/selectBackend.js'
import type { ComputeError } from './errors.js'
import { demoModelManifestPath } from './model/demoModel.js'
import { type LoadedModel, loadModel } from './model/loadModel.js'
import { parseArgs } from './validate.js'

export { boxFromHeatmap } from './analyze/boxFromHeatmap.js'
export { maskFromOutput } from './analyze/maskFromOutput.js'
export { probabilitiesFromOutput } from './analyze/probabilitiesFromOutput.js'
export type {
  AnalysisFailure,
  AnalysisResult,
  AnalysisTimings,
  AnalyzeOptions,
  Box,
  Finding,
  ImageResult,
  Mask,
  OutputChannel,
  StudyInput,
} from './analyze/types.js'

const studySchema = z.union([
  z.string().min(1),
  z.instanceof(Uint8Array),
  z.array(
    z.union([
      z.string().min(1),
      z.instanceof(Uint8Array),
      z.object({ name: z.string(), bytes: z.instanceof(Uint8Array) }),
    ]),
  ),
])
const optionsSchema = z.strictObject({
  // a loaded model is checked by shape, not parsed (parsing would copy it and its manifest)
  model: z
    .union([
      z.string().min(1),
      z.custom<LoadedModel>(
        (v) => typeof v === 'object' && v !== null && 'manifest' in v && 'session' in v,
        'a loaded model (from loadModel) or the path of a manifest',
      ),
    ])
    .optional(),
  backend: backendRequestSchema.optional(),
  batchSize: z.number().int().min(1).max(4096).optional(),
  intraOpThreads: z.number().int().min(1).max(1024).optional(),
  maskProbabilities: z.boolean().optional(),
  coordinator: z
    .strictObject({
      url: z.url(),
      apiKey: z.string().min(1).max(200),
      region: z.string().optional(),
      timeoutMs: z.number().int().min(1).optional(),
    })
    .optional(),
})

export type AnalyzeErrorType = ComputeError

/**
 * Analyses a study with an ONNX model, in named steps: collect the inputs (folders walked, each
 * file once) → decode each file (native or compressed; Image Pixel Module checked against PS3.3)
 * and check its modality and body part → preprocess frames into batched tensors → run the model →
 * findings, boxes and masks per frame. A file that fails is reported in `failures` with its coded
 * error; the rest of the batch goes on. Files are decoded a batch at a time as inference needs
 * them (the next file read off the main thread), so only the batches in flight are held.
 *
 * @param study - paths, folders or bytes.
 * With `backend: 'remote'` and `coordinator: { url, apiKey }`, frames are still decoded and
 * preprocessed here; only the input tensors and the model's hash go to the coordinator, and
 * `receipts` holds each batch's verified, signed receipt.
 *
 * @param options - `{ model?, backend?, batchSize?, intraOpThreads?, maskProbabilities?, coordinator? }`.
 * @returns findings per image, the model's identity and hash, the backend, failures and timings.
 * @throws {ComputeError} `COMPUTE_INVALID_ARGUMENT`; loading the model's codes; `COMPUTE_INFERENCE_FAILED`.
 * @example
 * ```ts
 * import { analyze } from '@btt/compute'
 * const result = await analyze('study-folder/', { backend: 'auto' })
 * for (const image of result.images) console.log(image.findings)
 * ```
 */
export async function analyze(
  study: StudyInput,
  options: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  // zod only when the arguments are not plainly right (what it would accept anyway)
  if (!plainStudy(study)) parseArgs(studySchema, study, 'study')
  if (!isEmptyObject(options)) parseArgs(optionsSchema, options, 'analyze options')
  const t0 = performance.now()
  const remote =
    options.backend === 'remote' && options.coordinator
      ? // loaded on use: the network code (ethers) stays out of the root entry
        (await import('./network/remoteModel.js')).remoteModel(
          typeof options.model === 'object'
            ? options.model.manifest
            : (options.model ?? demoModelManifestPath()),
          options.coordinator,
        )
      : undefined
  const model = remote?.model ?? (await modelFor(options))
  const m = model.manifest
  const failures: AnalysisResult['failures'] = []
  const items = collectInputs(study, failures)
  const decoded: DecodeStats = { ms: 0, studyInstanceUids: new Set() }
  const frames = decodeFrames(items, m, failures, decoded)
  const { results, preprocessMs, inferenceMs } = await runBatches(model, frames, {
    batchSize: Math.min(options.batchSize ?? 8, model.maxBatch),
    maskProbabilities: options.maskProbabilities ?? false,
  })
  return {
    model: {
      id: m.id,
      name: m.name,
      version: m.version,
      sha256: model.sha256,
      intendedUse: m.intendedUse,
    },
    backend: { name: remote ? 'remote' : model.backend.backend, reason: model.backend.reason },
    ...(remote ? { receipts: remote.receipts } : {}),
    studyInstanceUids: [...decoded.studyInstanceUids],
    images: results,
    failures,
    timings: { decodeMs: decoded.ms, preprocessMs, inferenceMs, totalMs: performance.now() - t0 },
  }
}

function modelFor(options: AnalyzeOptions): Promise<LoadedModel> {
  if (typeof options.model === 'object') return Promise.resolve(options.model)
  return loadModel(options.model ?? demoModelManifestPath(), {
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.intraOpThreads ? { intraOpThreads: options.intraOpThreads } : {}),
  })
}

/** Paths and byte arrays, alone or in an array: what `studySchema` accepts without a closer look. */
function plainStudy(study: unknown): boolean {
  const plain = (v: unknown) => v instanceof Uint8Array || (typeof v === 'string' && v.length > 0)
  if (plain(study)) return true
  if (!Array.isArray(study)) return false
  // by index: a hole is undefined (which zod refuses), where every() would skip it
  for (let i = 0; i < study.length; i++) if (!plain(study[i])) return false
  return true
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (Object.getPrototypeOf(value) !== Object.prototype) return false
  for (const _ in value) return false
  return true
}

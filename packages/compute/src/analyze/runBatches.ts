import { ComputeError } from '../errors.js'
import type { LoadedModel } from '../model/loadModel.js'
import { findingsFor } from './findingsFor.js'
import { type FrameRef, type PreparedBatch, prepareBatch } from './prepareBatch.js'
import { releaseOutputs } from './releaseOutputs.js'
import type { ImageResult, Outputs } from './types.js'

/**
 * Runs the model over the frames in batches and turns each batch's outputs into results. The
 * next batch is taken from `frames` (decoded on demand, its files read on libuv's threads) and
 * preprocessed before the current one's outputs are used.
 *
 * @returns one result per frame, in order, and the time spent preprocessing and in inference.
 */
export async function runBatches(
  model: LoadedModel,
  frames: Iterable<FrameRef> | AsyncIterable<FrameRef>,
  options: { batchSize: number; maskProbabilities: boolean },
): Promise<{ results: ImageResult[]; preprocessMs: number; inferenceMs: number }> {
  const { batchSize, maskProbabilities } = options
  const results: ImageResult[] = []
  let preprocessMs = 0
  let inferenceMs = 0
  const source =
    Symbol.asyncIterator in frames
      ? frames[Symbol.asyncIterator]()
      : (frames as Iterable<FrameRef>)[Symbol.iterator]()
  const prepare = async (): Promise<PreparedBatch | undefined> => {
    const batch: FrameRef[] = []
    while (batch.length < batchSize) {
      const step = await source.next()
      if (step.done) break
      batch.push(step.value)
    }
    if (!batch.length) return undefined
    const tp = performance.now()
    const prepared = prepareBatch(model, batch)
    preprocessMs += performance.now() - tp
    return prepared
  }
  let next = await prepare()
  while (next) {
    const current: PreparedBatch = next
    const running = run(model, current)
    // a failure is handled below, after the next batch is prepared: not an unhandled rejection meanwhile
    running.catch(() => {})
    // the next batch is decoded and preprocessed (its files read) before or while this one runs
    next = await prepare().catch(async (error: unknown) => {
      await running.catch(() => {})
      current.release()
      throw error
    })
    const { outputs, ms } = await running.finally(current.release)
    inferenceMs += ms
    for (let i = 0; i < current.frames.length; i++)
      results.push(resultFor(model, current.frames[i]!, outputs, i, maskProbabilities))
    releaseOutputs(model.session, outputs) // read: their memory goes back now, not at a collection
  }
  return { results, preprocessMs, inferenceMs }
}

/**
 * Runs one batch. onnxruntime-node runs it synchronously on this thread from a `setImmediate`
 * callback; one queued just before marks when it starts, so `ms` is the run itself, not the
 * decoding and preprocessing of the next batch that happen before it.
 */
async function run(
  model: LoadedModel,
  batch: PreparedBatch,
): Promise<{ outputs: Outputs; ms: number }> {
  let started = performance.now()
  setImmediate(() => {
    started = performance.now()
  })
  try {
    const outputs = (await model.session.run({
      [model.manifest.input.name]: batch.tensor,
    })) as Outputs
    return { outputs, ms: performance.now() - started }
  } catch (error) {
    // a remote session's coded failure (coordinator unreachable, timeout, key refused) stays itself
    if (error instanceof ComputeError && error.kind !== 'internal') throw error
    throw new ComputeError(
      'COMPUTE_INFERENCE_FAILED',
      `onnxruntime failed on a batch of ${batch.frames.length}: ${(error as Error).message}`,
      {
        cause: error,
        details: { model: model.manifest.id, files: batch.frames.map((f) => f.image.file) },
      },
    )
  }
}

/** The result of one frame: the image's identity and the findings from its row of the outputs. */
export function resultFor(
  model: LoadedModel,
  { image, frame }: FrameRef,
  outputs: Outputs,
  index: number,
  maskProbabilities: boolean,
): ImageResult {
  return {
    file: image.file,
    studyInstanceUid: image.studyInstanceUid,
    seriesInstanceUid: image.seriesInstanceUid,
    sopInstanceUid: image.sopInstanceUid,
    sopClassUid: image.sopClassUid,
    frame,
    rows: image.rows,
    columns: image.columns,
    findings: findingsFor(model.manifest, outputs, index, image, maskProbabilities),
  }
}

import { ComputeError } from '../errors.js'
import type { LoadedModel } from '../model/loadModel.js'
import { findingsFor } from './findingsFor.js'
import { type FrameRef, type PreparedBatch, prepareBatch } from './prepareBatch.js'
import type { ImageResult, Outputs } from './types.js'

/**
 * Runs the model over the frames in batches and turns each batch's outputs into results.
 * Preprocessing of the next batch overlaps inference of the current one.
 *
 * @returns one result per frame, in order, and the time spent preprocessing and in inference.
 */
export async function runBatches(
  model: LoadedModel,
  frames: readonly FrameRef[],
  options: { batchSize: number; maskProbabilities: boolean },
): Promise<{ results: ImageResult[]; preprocessMs: number; inferenceMs: number }> {
  const { batchSize, maskProbabilities } = options
  const results: ImageResult[] = []
  let preprocessMs = 0
  let inferenceMs = 0
  const prepare = (start: number) => {
    const tp = performance.now()
    const batch = prepareBatch(model, frames.slice(start, start + batchSize))
    preprocessMs += performance.now() - tp
    return batch
  }
  let next: PreparedBatch | undefined = frames.length ? prepare(0) : undefined
  for (let start = 0; next; start += batchSize) {
    const current: PreparedBatch = next
    const ti = performance.now()
    const running = run(model, current)
    // overlap: preprocess the next batch while this one runs on onnxruntime's threads
    next = start + batchSize < frames.length ? prepare(start + batchSize) : undefined
    const outputs = await running.finally(current.release)
    inferenceMs += performance.now() - ti
    for (let i = 0; i < current.frames.length; i++)
      results.push(resultFor(model, current.frames[i]!, outputs, i, maskProbabilities))
  }
  return { results, preprocessMs, inferenceMs }
}

async function run(model: LoadedModel, batch: PreparedBatch): Promise<Outputs> {
  try {
    return (await model.session.run({ [model.manifest.input.name]: batch.tensor })) as Outputs
  } catch (error) {
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

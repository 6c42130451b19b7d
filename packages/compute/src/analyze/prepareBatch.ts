import { ort } from '../backends/selectBackend.js'
import type { DecodedImage } from '../dicom/decodeDicom.js'
import type { LoadedModel } from '../model/loadModel.js'
import { inputGeometry } from '../preprocess/inputGeometry.js'
import { preprocessFrame } from '../preprocess/preprocessFrame.js'

/** One frame of one decoded image. */
export type FrameRef = { image: DecodedImage; frame: number }

/** A batch ready to run: its frames, the input tensor, and `release()` to give the buffer back. */
export type PreparedBatch = {
  frames: readonly FrameRef[]
  tensor: import('onnxruntime-node').Tensor
  release: () => void
}

// Input buffers are reused across batches and calls (per model and length): a batch takes one,
// and gives it back once its inference has finished, so concurrent calls never share one.
const pools = new WeakMap<LoadedModel, Map<number, Float32Array[]>>()

function freeBuffers(model: LoadedModel, length: number): Float32Array[] {
  let byLength = pools.get(model)
  if (!byLength) {
    byLength = new Map()
    pools.set(model, byLength)
  }
  let free = byLength.get(length)
  if (!free) {
    free = []
    byLength.set(length, free)
  }
  return free
}

/**
 * Preprocesses `frames` into one input tensor of the model's shape, in a pooled buffer.
 *
 * @param model - the loaded model.
 * @param frames - the frames of this batch (at most the model's batch size).
 * @returns the batch; call `release()` after its inference has finished.
 */
export function prepareBatch(model: LoadedModel, frames: readonly FrameRef[]): PreparedBatch {
  const m = model.manifest
  const { channels, height, width } = inputGeometry(m)
  const size = channels * height * width
  const length = frames.length * size
  const free = freeBuffers(model, length)
  const data = free.pop() ?? new Float32Array(length)
  for (let index = 0; index < frames.length; index++) {
    const f = frames[index]!
    preprocessFrame(f.image, f.frame, m, { data, index })
  }
  const dims = m.input.layout === 'NCHW' ? [channels, height, width] : [height, width, channels]
  const tensor = new (ort().Tensor)('float32', data, [frames.length, ...dims])
  let released = false
  return {
    frames,
    tensor,
    release: () => {
      if (released) return
      released = true
      if (free.length < 4) free.push(data)
    },
  }
}

import { describe, expect, test } from 'vitest'
import { decodeDicom } from '../dicom/decodeDicom.js'
import { demoModelManifestPath } from '../model/demoModel.js'
import type { LoadedModel } from '../model/loadModel.js'
import { loadModel } from '../model/loadModel.js'
import { syntheticChest } from '../testing/syntheticChest.js'
import { writeDicom } from '../testing/writeDicom.js'
import { prepareBatch } from './prepareBatch.js'
import { runBatches } from './runBatches.js'

const model = await loadModel(demoModelManifestPath(), { backend: 'cpu' })
const frames = await Promise.all(
  [0, 1, 2].map(async (i) => ({
    image: await decodeDicom(
      writeDicom({
        frames: [
          syntheticChest({
            seed: 70 + i,
            nodules: i === 1 ? [{ x: 250, y: 240, radius: 12 }] : [],
          }),
        ],
        rows: 512,
        columns: 512,
      }),
      `f${i}.dcm`,
    ),
    frame: 0,
  })),
)

describe('prepareBatch', () => {
  test('one tensor of the model shape; its buffer is reused only after release', () => {
    const a = prepareBatch(model, frames.slice(0, 2))
    expect(a.tensor.dims).toEqual([2, 1, 256, 256])
    const b = prepareBatch(model, frames.slice(1, 3))
    expect(b.tensor.data).not.toBe(a.tensor.data) // a is still in use
    const bytes = Array.from(a.tensor.data as Float32Array)
    a.release()
    const c = prepareBatch(model, frames.slice(0, 2))
    expect(c.tensor.data).toBe(a.tensor.data)
    expect(Array.from(c.tensor.data as Float32Array)).toEqual(bytes) // same frames, same values
    b.release()
    c.release()
  })
})

describe('runBatches', () => {
  test('one result per frame, in order, whatever the batch size', async () => {
    const one = await runBatches(model, frames, { batchSize: 1, maskProbabilities: false })
    const two = await runBatches(model, frames, { batchSize: 2, maskProbabilities: false })
    expect(one.results.map((r) => r.file)).toEqual(['f0.dcm', 'f1.dcm', 'f2.dcm'])
    expect(one.results.map((r) => r.findings[0]!.present)).toEqual([false, true, false])
    for (const [i, r] of two.results.entries())
      expect(r.findings[0]!.probability).toBeCloseTo(one.results[i]!.findings[0]!.probability, 5)
    expect(one.inferenceMs).toBeGreaterThan(0)
  })

  test('frames are taken from the source a batch at a time, not all before the first run', async () => {
    const log: string[] = []
    async function* source() {
      for (const [k, f] of frames.entries()) {
        log.push(`decode ${k}`)
        yield f
      }
    }
    const logged = {
      ...model,
      session: {
        run: (feeds: Parameters<typeof model.session.run>[0]) => {
          log.push('run')
          return model.session.run(feeds)
        },
      },
    } as unknown as LoadedModel
    const { results } = await runBatches(logged, source(), {
      batchSize: 1,
      maskProbabilities: false,
    })
    expect(results.map((r) => r.file)).toEqual(['f0.dcm', 'f1.dcm', 'f2.dcm'])
    expect(log).toEqual(['decode 0', 'run', 'decode 1', 'run', 'decode 2', 'run'])
  })

  test('no frames: no results, no inference', async () => {
    expect(await runBatches(model, [], { batchSize: 8, maskProbabilities: false })).toEqual({
      results: [],
      preprocessMs: 0,
      inferenceMs: 0,
    })
  })

  test('an onnxruntime failure is COMPUTE_INFERENCE_FAILED naming the files, with the cause', async () => {
    const cause = new Error('bad input')
    const broken = {
      ...model,
      session: { run: () => Promise.reject(cause) },
    } as unknown as LoadedModel
    const error = await runBatches(broken, frames.slice(0, 2), {
      batchSize: 8,
      maskProbabilities: false,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'COMPUTE_INFERENCE_FAILED',
      details: { files: ['f0.dcm', 'f1.dcm'] },
      cause,
    })
  })

  test('a run that fails while the next batch is still being read is reported, not left unhandled', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    const failing = {
      ...model,
      session: { run: () => Promise.reject(new Error('bad input')) },
    } as unknown as LoadedModel
    async function* slow() {
      yield frames[0]!
      await new Promise((r) => setTimeout(r, 50)) // the next file takes a while to read
      yield frames[1]!
    }
    const error = await runBatches(failing, slow(), {
      batchSize: 1,
      maskProbabilities: false,
    }).catch((e: unknown) => e)
    await new Promise((r) => setTimeout(r, 10))
    process.off('unhandledRejection', onUnhandled)
    expect(error).toMatchObject({ code: 'COMPUTE_INFERENCE_FAILED' })
    expect(unhandled).toEqual([])
  })
})

import { afterAll, bench, describe } from 'vitest'
import { analyze } from './analyze.js'
import { ort } from './backends/selectBackend.js'
import { decodeDicom } from './dicom/decodeDicom.js'
import { demoModelManifestPath } from './model/demoModel.js'
import { loadModel } from './model/loadModel.js'
import { preprocessFrame } from './preprocess/preprocessFrame.js'
import { syntheticChest } from './testing/syntheticChest.js'
import { writeDicom } from './testing/writeDicom.js'

// Cold start: session creation and the first inference, in this fresh process.
const t0 = performance.now()
const model = await loadModel(demoModelManifestPath(), { backend: 'cpu' })
const loadMs = performance.now() - t0
const files = Array.from({ length: 8 }, (_, i) =>
  writeDicom({
    frames: [
      syntheticChest({ seed: 200 + i, nodules: i % 2 ? [] : [{ x: 170, y: 250, radius: 12 }] }),
    ],
    rows: 512,
    columns: 512,
  }),
)
const tensors = new Map<number, InstanceType<ReturnType<typeof ort>['Tensor']>>()
for (const n of [1, 8]) {
  const data = new Float32Array(n * 256 * 256)
  for (let i = 0; i < n; i++)
    preprocessFrame(await decodeDicom(files[i]!), 0, model.manifest, { data, index: i })
  tensors.set(n, new (ort().Tensor)('float32', data, [n, 1, 256, 256]))
}
const t1 = performance.now()
await model.session.run({ image: tensors.get(1)! })
const firstRunMs = performance.now() - t1

for (const n of [1, 8]) {
  describe(`demo model, 512×512 DX, batch ${n}`, () => {
    bench(
      `baseline: raw InferenceSession.run (preprocessed tensor)`,
      async () => {
        await model.session.run({ image: tensors.get(n)! })
      },
      { time: 3000 },
    )
    bench(
      `analyze: decode + preprocess + inference + findings`,
      async () => {
        await analyze(files.slice(0, n), { model, batchSize: n })
      },
      { time: 3000 },
    )
  })
}

afterAll(() => {
  console.log(
    `cold start: loadModel (hash check + session) ${loadMs.toFixed(1)} ms, first inference ${firstRunMs.toFixed(1)} ms`,
  )
})

// What analyze's measurement scripts share: the model, eight 512×512 DX images (half with a
// finding), a scratch tensor buffer, and the model with inference stubbed (handing back a real
// run's outputs) at batch 1 and 8, so that a script times analyze's own work alone.
import { ort } from '../src/backends/selectBackend.js'
import { decodeDicom } from '../src/dicom/decodeDicom.js'
import { demoModelManifestPath } from '../src/model/demoModel.js'
import { type LoadedModel, loadModel } from '../src/model/loadModel.js'
import { preprocessFrame } from '../src/preprocess/preprocessFrame.js'
import { syntheticChest } from '../src/testing/syntheticChest.js'
import { writeDicom } from '../src/testing/writeDicom.js'

export const model = await loadModel(demoModelManifestPath(), { backend: 'cpu' })
export const files = Array.from({ length: 8 }, (_, i) =>
  writeDicom({
    frames: [
      syntheticChest({ seed: 200 + i, nodules: i % 2 ? [] : [{ x: 170, y: 250, radius: 12 }] }),
    ],
    rows: 512,
    columns: 512,
  }),
)
export const data = new Float32Array(8 * 256 * 256)
/** The model, its session's `run` handing back the outputs of a real run, by batch size. */
export const stubs = new Map<number, LoadedModel>()
for (const n of [1, 8]) {
  for (let i = 0; i < n; i++)
    preprocessFrame(await decodeDicom(files[i]!), 0, model.manifest, { data, index: i })
  const outputs = await model.session.run({
    image: new (ort().Tensor)('float32', data.slice(0, n * 65536), [n, 1, 256, 256]),
  } as never)
  stubs.set(n, {
    ...model,
    session: { ...model.session, run: async () => outputs } as LoadedModel['session'],
  })
}

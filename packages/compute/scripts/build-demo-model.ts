// Builds the demonstration model (models/nodule-demo): designed weights (a difference-of-Gaussians
// blob filter) plus two calibration constants fitted on synthetic images this script generates.
// Deterministic: running it again writes the same bytes. Run: pnpm --filter @btt/compute build:model
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ort } from '../src/backends/selectBackend.js'
import { decodeDicom } from '../src/dicom/decodeDicom.js'
import { type ModelManifestInput, manifestSchema } from '../src/manifest/schema.js'
import { buildNoduleDemoModel, DEMO_INPUT_SIZE } from '../src/model/buildNoduleDemoModel.js'
import { preprocessFrame } from '../src/preprocess/preprocessFrame.js'
import { calibrationCases } from '../src/testing/calibrationCases.js'
import { writeDicom } from '../src/testing/writeDicom.js'

const dir = new URL('../models/nodule-demo/', import.meta.url)

export const demoManifest = (sha256: string): ModelManifestInput => ({
  id: 'btt.nodule-demo',
  name: 'BTT demonstration round-opacity finder',
  version: '1.0.0',
  intendedUse:
    'DEMONSTRATION ONLY. Finds bright round spots in the synthetic chest-radiograph-like images this repository generates. It has designed weights, was never trained or validated on patient data, and is not a medical device: do not use it for diagnosis or any clinical decision.',
  model: 'model.onnx',
  sha256,
  modalities: ['CR', 'DX'],
  bodyParts: ['CHEST'],
  input: {
    name: 'image',
    shape: [-1, 1, DEMO_INPUT_SIZE, DEMO_INPUT_SIZE],
    layout: 'NCHW',
    dtype: 'float32',
  },
  preprocessing: {
    rescale: true,
    window: { mode: 'percentile', low: 1, high: 99 },
    invertMonochrome1: true,
    interpolation: 'area',
    normalize: { mean: [0.5], std: [0.25] },
  },
  outputs: [
    { name: 'scores', kind: 'scores', labels: ['nodule'], activation: 'sigmoid' },
    { name: 'heatmap', kind: 'heatmap' },
    { name: 'mask', kind: 'mask', labels: ['nodule'], activation: 'sigmoid', threshold: 0.5 },
  ],
  findings: [
    {
      label: 'nodule',
      output: 'scores',
      threshold: 0.5,
      locateWith: 'heatmap',
      segmentWith: 'mask',
      code: { system: 'http://snomed.info/sct', code: '786838002', display: 'Pulmonary nodule' },
    },
  ],
})

async function peaks(bytes: Uint8Array, cases: ReturnType<typeof calibrationCases>) {
  const manifest = manifestSchema.parse(demoManifest('0'.repeat(64)))
  const session = await ort().InferenceSession.create(bytes)
  const size = DEMO_INPUT_SIZE * DEMO_INPUT_SIZE
  const data = new Float32Array(cases.length * size)
  for (const [index, c] of cases.entries()) {
    const image = await decodeDicom(writeDicom({ frames: [c.pixels], rows: 512, columns: 512 }))
    preprocessFrame(image, 0, manifest, { data, index })
  }
  const out = await session.run({
    image: new (ort().Tensor)('float32', data, [cases.length, 1, DEMO_INPUT_SIZE, DEMO_INPUT_SIZE]),
  })
  return Array.from(out.scores!.data as Float32Array)
}

const cases = calibrationCases({ seed: 1000, count: 48 })
const raw = await peaks(buildNoduleDemoModel({ scale: 1, bias: 0 }), cases)
const positive = raw.filter((_, i) => cases[i]!.nodule)
const negative = raw.filter((_, i) => !cases[i]!.nodule)
const stats = (xs: number[]) => `${Math.min(...xs).toFixed(3)}..${Math.max(...xs).toFixed(3)}`
console.log(`raw peaks: nodules ${stats(positive)}, background ${stats(negative)}`)
if (process.env.DEBUG_PEAKS)
  cases.forEach((c, i) => {
    if (c.nodule) console.log(raw[i]!.toFixed(3), JSON.stringify(c.nodule))
  })
const minPos = Math.min(...positive)
const maxNeg = Math.max(...negative)
if (!(minPos > maxNeg))
  throw new Error(`not separable: positives from ${minPos}, negatives up to ${maxNeg}`)
// logit = scale × (peak − midpoint): +4 (p 0.98) at the weakest nodule, −4 at the strongest background
const scale = Math.fround(8 / (minPos - maxNeg))
const bias = Math.fround(-scale * ((minPos + maxNeg) / 2))
const bytes = buildNoduleDemoModel({ scale, bias })
const sha256 = createHash('sha256').update(bytes).digest('hex')
writeFileSync(new URL('model.onnx', dir), bytes)
writeFileSync(new URL('manifest.json', dir), `${JSON.stringify(demoManifest(sha256), null, 2)}\n`)
console.log(
  `calibrated on ${cases.length} synthetic images: nodule peaks ≥ ${minPos.toFixed(4)}, background peaks ≤ ${maxNeg.toFixed(4)}; scale ${scale}, bias ${bias}`,
)
console.log(
  `wrote ${fileURLToPath(dir)}model.onnx (${bytes.length} bytes, sha256 ${sha256}) and manifest.json`,
)

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, bench, describe } from 'vitest'
import { analyze } from './analyze.js'
import { ort } from './backends/selectBackend.js'
import { decodeDicom } from './dicom/decodeDicom.js'
import { demoModelManifestPath } from './model/demoModel.js'
import { loadModel } from './model/loadModel.js'
import { preprocessFrame } from './preprocess/preprocessFrame.js'
import { syntheticChest } from './testing/syntheticChest.js'
import { writeDicom } from './testing/writeDicom.js'

// analyze() with its defaults against a named baseline: a bare onnxruntime-node session created
// with onnxruntime's defaults (default threads), `session.run` on an already-preprocessed tensor.
// Both sides run in this one process, on the demo model and 512×512 DX images (half with a
// finding, so half the images get a box and a mask).

const t0 = performance.now()
const model = await loadModel(demoModelManifestPath(), { backend: 'cpu' })
const loadMs = performance.now() - t0
const bare = await ort().InferenceSession.create(
  readFileSync(join(dirname(demoModelManifestPath()), model.manifest.model)),
)
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
await bare.run({ image: tensors.get(1)! })
const firstRunMs = performance.now() - t1

const baseline = (n: number) => bare.run({ image: tensors.get(n)! })
const full = (n: number) => analyze(files.slice(0, n), { model, batchSize: n })

/**
 * Paired measurement: baseline and analyze alternate call by call, so load from other processes
 * falls on both sides alike; the figure is the median of each side and their ratio, and analyze's
 * own timings say where its extra time goes.
 */
async function paired(n: number, pairs: number) {
  const base: number[] = []
  const all: number[] = []
  // CPU time (all threads of this process) is not inflated by other processes' load or by CPU
  // throttling, unlike wall time: a second, steadier view of the same work
  const baseCpu: number[] = []
  const allCpu: number[] = []
  const cpu = (since: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(since)
    return (d.user + d.system) / 1000
  }
  const steps = {
    decodeMs: [] as number[],
    preprocessMs: [] as number[],
    inferenceMs: [] as number[],
    restMs: [] as number[],
  }
  for (let i = 0; i < 5; i++) {
    await baseline(n)
    await full(n)
  }
  for (let i = 0; i < pairs; i++) {
    let c = process.cpuUsage()
    let t = performance.now()
    await baseline(n)
    base.push(performance.now() - t)
    baseCpu.push(cpu(c))
    c = process.cpuUsage()
    t = performance.now()
    const { timings: s } = await full(n)
    all.push(performance.now() - t)
    allCpu.push(cpu(c))
    steps.decodeMs.push(s.decodeMs)
    steps.preprocessMs.push(s.preprocessMs)
    steps.inferenceMs.push(s.inferenceMs)
    steps.restMs.push(s.totalMs - s.decodeMs - s.preprocessMs - s.inferenceMs)
  }
  const median = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1]!
  const [mb, ma] = [median(base), median(all)]
  const pct = (x: number) => `${((x / mb) * 100).toFixed(1)}%`
  const step = (k: keyof typeof steps) => `${median(steps[k]).toFixed(2)} ms`
  return (
    `batch ${n}, ${pairs} pairs: baseline ${mb.toFixed(2)} ms, analyze ${ma.toFixed(2)} ms (medians), ` +
    `overhead ${((ma / mb - 1) * 100).toFixed(1)}%; fastest calls ${Math.min(...base).toFixed(2)} and ` +
    `${Math.min(...all).toFixed(2)} ms. analyze's step medians: decode ${step('decodeMs')} ` +
    `(${pct(median(steps.decodeMs))}), preprocess ${step('preprocessMs')} (${pct(median(steps.preprocessMs))}), ` +
    `inference ${step('inferenceMs')} (${pct(median(steps.inferenceMs))} of the bare run), ` +
    `findings and the rest ${step('restMs')} (${pct(median(steps.restMs))}). ` +
    `CPU time: baseline ${median(baseCpu).toFixed(2)} ms, analyze ${median(allCpu).toFixed(2)} ms, ` +
    `overhead ${((median(allCpu) / median(baseCpu) - 1) * 100).toFixed(1)}%`
  )
}
const pairedLines = [await paired(1, 200), await paired(8, 40)]

for (const n of [1, 8]) {
  describe(`demo model, 512×512 DX, batch ${n}`, () => {
    bench(
      'baseline: bare InferenceSession.run (default options, preprocessed tensor)',
      async () => {
        await baseline(n)
      },
      { time: 1500 },
    )
    bench(
      'analyze: decode + checks + preprocess + inference + findings (defaults)',
      async () => {
        await full(n)
      },
      { time: 1500 },
    )
  })
}

afterAll(() => {
  console.log(
    [
      ...pairedLines,
      `cold start: loadModel (hash check + session) ${loadMs.toFixed(1)} ms, first inference ${firstRunMs.toFixed(1)} ms`,
    ].join('\n'),
  )
})

import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { constants, PerformanceObserver } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
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
// finding, so half the images get a box and a mask). Run (prints both sides and the overhead):
//   pnpm vitest bench --run packages/compute/src/analyze.bench.ts

const loadBefore = loadavg()[0]!
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
// no options at all: the default model (loaded once and cached by loadModel, the same session as
// `model` here), backend and threads; batch size 8, so one batch at both sizes
const full = (n: number) => analyze(files.slice(0, n))
// analyze's own work alone: the same call with inference replaced by handing back the outputs of
// a real run on the same input (a view of the overhead that the load distorts less)
const stubs = new Map<number, typeof model>()
for (const n of [1, 8]) {
  const outputs = await baseline(n)
  stubs.set(n, {
    ...model,
    session: { ...model.session, run: async () => outputs } as typeof model.session,
  })
}
const ownWork = (n: number) => analyze(files.slice(0, n), { model: stubs.get(n)!, batchSize: n })
// not the default, for comparison: sessions with onnxruntime's intra-op spinning off (a worker
// that spins after a run takes a core from V8's collector threads and from other processes)
const noSpinSession = await ort().InferenceSession.create(
  readFileSync(join(dirname(demoModelManifestPath()), model.manifest.model)),
  { extra: { session: { intra_op: { allow_spinning: '0' } } } },
)
const noSpinModel = { ...model, session: noSpinSession }
const bareNoSpin = (n: number) => noSpinSession.run({ image: tensors.get(n)! })
const fullNoSpin = (n: number) => analyze(files.slice(0, n), { model: noSpinModel })

/** Garbage collections seen while the process runs, from `perf_hooks` (major = mark-compact). */
const gcs: { at: number; ms: number; major: boolean }[] = []
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as { detail?: { kind?: number } }).detail?.kind
    gcs.push({
      at: e.startTime,
      ms: e.duration,
      major: kind === constants.NODE_PERFORMANCE_GC_MAJOR,
    })
  }
}).observe({ entryTypes: ['gc'] })

type Side = { wall: number[]; cpu: number[]; spans: [number, number][]; leftKb: number[] }
const side = (): Side => ({ wall: [], cpu: [], spans: [], leftKb: [] })

// a full collection on demand, for the view where every call starts from a collected heap
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void
const heldKb = () => {
  const m = process.memoryUsage()
  return (m.heapUsed + m.arrayBuffers) / 1024
}

/** One timed call: wall time, process CPU time (all threads), and its span for the GC count. */
async function timed<T>(s: Side, call: () => Promise<T>): Promise<T> {
  const held = heldKb()
  const c = process.cpuUsage()
  const t = performance.now()
  const value = await call()
  const end = performance.now()
  s.wall.push(end - t)
  const d = process.cpuUsage(c)
  s.cpu.push((d.user + d.system) / 1000)
  s.spans.push([t, end])
  s.leftKb.push(heldKb() - held)
  return value
}

const median = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1]!
/** Mean of the fastest tenth: the cost of a call when the load left it alone. */
const fastTenth = (v: number[]) => {
  const fast = [...v].sort((x, y) => x - y).slice(0, Math.max(1, Math.floor(v.length / 10)))
  return fast.reduce((a, b) => a + b, 0) / fast.length
}
const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${((a / b - 1) * 100).toFixed(1)}%`

/** GCs per call that started within the calls' spans (major ones, and their ms per call). */
function gcPerCall(s: Side) {
  let major = 0
  let ms = 0
  let all = 0
  for (const g of gcs)
    if (s.spans.some(([a, b]) => g.at >= a && g.at <= b)) {
      all++
      ms += g.ms
      if (g.major) major++
    }
  const n = s.spans.length
  return `${(all / n).toFixed(2)} GCs (${(major / n).toFixed(2)} major), ${(ms / n).toFixed(2)} ms of GC per call`
}

/**
 * Paired measurement: baseline and analyze alternate call by call, so load from other processes
 * falls on both sides alike; medians and fastest-tenth means of each side and their ratio, CPU
 * time, GCs, and analyze's own timings (where its extra time goes).
 *
 * Call by call (`block` 1), a collection falls in whichever call triggers it, and that is nearly
 * always analyze's (the bare run allocates almost nothing on V8's heap): it then also frees the
 * bare run's outputs. In blocks (`block` k > 1: k calls of one side, then k of the other, a full
 * collection before each block, outside the timings), each side pays for the collections its own
 * garbage triggers and no other's; the memory each call leaves (heap + array buffers, median) is
 * printed too.
 */
async function paired(n: number, pairs: number, block: number) {
  const base = side()
  const all = side()
  const own = side()
  const bareQuiet = side()
  const allQuiet = side()
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
  gcs.length = 0
  const runs = (count: number, run: () => Promise<unknown>) => async () => {
    if (block > 1) collect()
    for (let j = 0; j < count; j++) await run()
  }
  for (let i = 0; i < pairs; i += block) {
    const k = Math.min(block, pairs - i)
    await runs(k, () => timed(base, () => baseline(n)))()
    await runs(k, async () => {
      const { timings: s } = await timed(all, () => full(n))
      steps.decodeMs.push(s.decodeMs)
      steps.preprocessMs.push(s.preprocessMs)
      steps.inferenceMs.push(s.inferenceMs)
      steps.restMs.push(s.totalMs - s.decodeMs - s.preprocessMs - s.inferenceMs)
    })()
    await runs(k, () => timed(own, () => ownWork(n)))()
    if (block === 1) continue
    await runs(k, () => timed(bareQuiet, () => bareNoSpin(n)))()
    await runs(k, () => timed(allQuiet, () => fullNoSpin(n)))()
  }
  // GC entries are delivered asynchronously
  await new Promise((resolve) => setTimeout(resolve, 50))
  const mb = median(base.wall)
  const step = (k: keyof typeof steps) =>
    `${median(steps[k]).toFixed(2)} ms (${((median(steps[k]) / mb) * 100).toFixed(1)}%)`
  const f = (x: number) => `${x.toFixed(2)} ms`
  return [
    block > 1
      ? `batch ${n}, ${pairs} pairs (in blocks of ${block} calls a side, a collected heap before each block):`
      : `batch ${n}, ${pairs} pairs (alternating call by call, collections where they fall):`,
    `  wall median:        baseline ${f(mb)}, analyze ${f(median(all.wall))}, overhead ${pct(median(all.wall), mb)}`,
    `  wall fastest tenth: baseline ${f(fastTenth(base.wall))}, analyze ${f(fastTenth(all.wall))}, overhead ${pct(fastTenth(all.wall), fastTenth(base.wall))}`,
    `  CPU time median:    baseline ${f(median(base.cpu))}, analyze ${f(median(all.cpu))}, overhead ${pct(median(all.cpu), median(base.cpu))}`,
    `  analyze's own work (inference stubbed): median ${f(median(own.wall))}, fastest tenth ${f(fastTenth(own.wall))} = ${((fastTenth(own.wall) / fastTenth(base.wall)) * 100).toFixed(1)}% of the bare run's fastest tenth`,
    `  GC: baseline ${gcPerCall(base)}; analyze ${gcPerCall(all)}`,
    ...(block > 1
      ? [
          `  not the default, intra-op spinning off: bare ${f(median(bareQuiet.wall))}, analyze ${f(median(allQuiet.wall))} (medians; against the default bare run ${pct(median(bareQuiet.wall), mb)} and ${pct(median(allQuiet.wall), mb)})`,
        ]
      : []),
    ...(block > 1
      ? [
          `  memory left per call (heap + array buffers, median): baseline ${median(base.leftKb).toFixed(0)} KB, analyze ${median(all.leftKb).toFixed(0)} KB`,
        ]
      : []),
    `  analyze's steps (medians, share of the bare median): decode ${step('decodeMs')}, preprocess ${step('preprocessMs')}, inference ${step('inferenceMs')}, findings and the rest ${step('restMs')}`,
  ].join('\n')
}
const pairedLines = [
  await paired(1, 200, 1),
  await paired(8, 40, 1),
  await paired(1, 200, 20),
  await paired(8, 40, 5),
]
const loadAfter = loadavg()[0]!

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
    // masks build their source-size pixels when first read: this is analyze and then what a SEG
    // or overlay writer does first, for the same comparison
    bench(
      'analyze, then every mask read (its 512×512 pixels built)',
      async () => {
        const { images } = await full(n)
        for (const image of images) for (const f of image.findings) void f.mask?.pixels
      },
      { time: 1500 },
    )
  })
}

afterAll(() => {
  console.log(
    [
      ...pairedLines,
      `load average (1 min) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after the paired runs, on ${cpus().length} CPUs; Node ${process.version}`,
      `cold start: loadModel (hash check + session) ${loadMs.toFixed(1)} ms, first inference ${firstRunMs.toFixed(1)} ms`,
    ].join('\n'),
  )
})

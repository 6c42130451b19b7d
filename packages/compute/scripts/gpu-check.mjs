// Checks the GPU backends on a machine that has a GPU, against the CPU, and times them.
// Needs the built package (pnpm --filter @btt/compute build). Run: node scripts/gpu-check.mjs
// Prints one JSON report: each backend's probe, whether its findings, boxes and masks match the
// CPU's on generated studies, and raw session.run times (median of 20 after 5 warm-ups) per batch.

import { readFileSync } from 'node:fs'
import {
  analyze,
  decodeDicom,
  demoModelManifestPath,
  loadModel,
  preprocessFrame,
  probeBackend,
  selectBackend,
} from '@btt/compute'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import ort from 'onnxruntime-node'

const report = { node: process.version, backends: {} }
const study = Array.from({ length: 8 }, (_, i) =>
  writeDicom({
    frames: [
      syntheticChest({
        seed: 700 + i,
        nodules: i % 2 ? [] : [{ x: 150 + 20 * i, y: 220, radius: 12, contrast: 650 }],
      }),
    ],
    rows: 512,
    columns: 512,
  }),
)
const cpu = await analyze(study, { backend: 'cpu' })
const decoded = await Promise.all(study.map((b) => decodeDicom(b)))

for (const backend of ['cpu', 'cuda', 'webgpu']) {
  const why = await probeBackend(backend)
  const entry = { available: why === null, ...(why ? { why } : {}) }
  report.backends[backend] = entry
  if (why) continue
  try {
    const result = await analyze(study, { backend })
    entry.ranOn = result.backend.name
    entry.sameAnswers = result.images.every(
      (img, i) => img.findings[0].present === cpu.images[i].findings[0].present,
    )
    entry.maxProbabilityDiff = Math.max(
      ...result.images.map((img, i) =>
        Math.abs(img.findings[0].probability - cpu.images[i].findings[0].probability),
      ),
    )
    entry.sameBoxes = result.images.every(
      (img, i) =>
        JSON.stringify(img.findings[0].box) === JSON.stringify(cpu.images[i].findings[0].box),
    )
    entry.maskPixelsDiffering = result.images.reduce((n, img, i) => {
      const a = img.findings[0].mask?.pixels
      const b = cpu.images[i].findings[0].mask?.pixels
      if (!a || !b) return n + (a || b ? (a ?? b).length : 0)
      let d = 0
      for (let p = 0; p < a.length; p++) if (a[p] !== b[p]) d++
      return n + d
    }, 0)
    // raw inference time per batch size, preprocessed tensors, median of 20 runs
    const model = await loadModel(demoModelManifestPath(), { backend })
    entry.sessionRunMs = {}
    for (const n of [1, 8, 32]) {
      const data = new Float32Array(n * 256 * 256)
      for (let i = 0; i < n; i++)
        preprocessFrame(decoded[i % decoded.length], 0, model.manifest, { data, index: i })
      const input = new ort.Tensor('float32', data, [n, 1, 256, 256])
      for (let i = 0; i < 5; i++) await model.session.run({ image: input })
      const times = []
      for (let i = 0; i < 20; i++) {
        const t = performance.now()
        await model.session.run({ image: input })
        times.push(performance.now() - t)
      }
      times.sort((a, b) => a - b)
      entry.sessionRunMs[`batch${n}`] = Number(times[10].toFixed(3))
    }
    // the whole analyze path (decode, preprocess, inference, findings and masks), 8 images
    const whole = []
    for (let i = 0; i < 13; i++) {
      const t = performance.now()
      await analyze(study, { model, batchSize: 8 })
      if (i >= 3) whole.push(performance.now() - t)
    }
    whole.sort((a, b) => a - b)
    entry.analyzeBatch8Ms = Number(whole[5].toFixed(3))
    // raw outputs against the CPU's on the same batch: the largest difference per output
    const cpuModel = await loadModel(demoModelManifestPath(), { backend: 'cpu' })
    const data = new Float32Array(8 * 256 * 256)
    for (let i = 0; i < 8; i++) preprocessFrame(decoded[i], 0, model.manifest, { data, index: i })
    const feeds = { image: new ort.Tensor('float32', data, [8, 1, 256, 256]) }
    const [mine, theirs] = [await model.session.run(feeds), await cpuModel.session.run(feeds)]
    entry.maxOutputDiff = Object.fromEntries(
      Object.keys(mine).map((name) => {
        let max = 0
        for (let i = 0; i < mine[name].data.length; i++)
          max = Math.max(max, Math.abs(mine[name].data[i] - theirs[name].data[i]))
        return [name, max]
      }),
    )
    // sessions are cached by loadModel and shared: not released here
    if (backend !== 'cpu' && process.env.GPU_CHECK_PLACEMENT) {
      // onnxruntime logs where each node runs at verbose level (to stderr: grep "placed on")
      const bytes = readFileSync(new URL(`../models/nodule-demo/model.onnx`, import.meta.url))
      await ort.InferenceSession.create(bytes, {
        executionProviders: [backend],
        logSeverityLevel: 0,
        logVerbosityLevel: 0,
      })
    }
  } catch (error) {
    entry.error = String(error?.stack ?? error).slice(0, 1000)
  }
}
report.auto = (await selectBackend('auto')).reason
console.log(JSON.stringify(report, null, 2))

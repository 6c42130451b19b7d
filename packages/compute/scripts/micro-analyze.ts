// analyze's steps for one 512×512 image, and memory left per call, in µs (medians and minima):
//   cd packages/compute && node --expose-gc --max-semi-space-size=128 --conditions=@btt/source --import tsx scripts/micro-analyze.ts
import { analyze } from '../src/analyze.js'
import { decodeDicom } from '../src/dicom/decodeDicom.js'
import { preprocessFrame } from '../src/preprocess/preprocessFrame.js'

const { model, files, data, stubs } = await import('./analyzeFixtures.js')
const gc = (globalThis as { gc?: () => void }).gc!
async function measure(name: string, n: number, fn: () => unknown) {
  for (let i = 0; i < 50; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await fn()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  gc()
  const m0 = process.memoryUsage()
  const keep: unknown[] = []
  for (let i = 0; i < 20; i++) keep.push(await fn())
  const m1 = process.memoryUsage()
  const kb = (m1.heapUsed - m0.heapUsed) / 20 / 1024
  const ab = (m1.arrayBuffers - m0.arrayBuffers) / 20 / 1024
  console.log(
    `${name.padEnd(28)} median ${(times[n >> 1]! * 1000).toFixed(0)} µs  min ${(times[0]! * 1000).toFixed(0)} µs  heap ${kb.toFixed(0)} KB/call, array buffers ${ab.toFixed(0)} KB/call`,
  )
}
const image = await decodeDicom(files[0]!)
const { readAsDcmtk } = await import('../src/dicom/part10/readAsDcmtk.js')
const { parsePart10 } = await import('../src/dicom/part10/parsePart10.js')
await measure('readAsDcmtk', 1000, () => readAsDcmtk(files[0]!, 'a'))
await measure('parsePart10', 1000, () => parsePart10(files[0]!, 'a'))
await measure('decode', 1000, () => decodeDicom(files[0]!))
await measure('preprocess', 1000, () =>
  preprocessFrame(image, 0, model.manifest, { data, index: 0 }),
)
await measure('analyze b1 stubbed', 500, () =>
  analyze(files.slice(0, 1), { model: stubs.get(1)!, batchSize: 1 }),
)
await measure('analyze b8 stubbed', 100, () =>
  analyze(files.slice(0, 8), { model: stubs.get(8)!, batchSize: 8 }),
)

// analyze's own work (inference stubbed with the outputs of a real run), this tree against an
// older one, call by call in one process: wall time per call and memory left per call.
// From the repository root (the older tree goes under packages/compute, so that it resolves its
// dependencies from this workspace; remove it afterwards):
//   mkdir -p packages/compute/scripts/base-tmp && git archive <commit> packages/compute/src |
//     tar -x -C packages/compute/scripts/base-tmp && cd packages/compute &&
//     BASE_SRC=scripts/base-tmp/packages/compute/src node --expose-gc --max-semi-space-size=256 \
//     --conditions=@btt/source --import tsx scripts/analyze-ab.ts
// (a large young generation, both sides alike: no collection mid-way spoils the memory figures)
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { analyze } from '../src/analyze.js'

const base = process.env.BASE_SRC
if (!base) throw new Error('BASE_SRC: the src folder of the older tree')
const analyzeBase: typeof analyze = (await import(pathToFileURL(resolve(base, 'analyze.ts')).href))
  .analyze
const { files, stubs } = await import('./analyzeFixtures.js')
const same = JSON.stringify(await analyze(files, { model: stubs.get(8)!, batchSize: 8 }), (k, v) =>
  k === 'timings' ? undefined : v instanceof Uint8Array ? Array.from(v).join('') : v,
)
const sameBase = JSON.stringify(
  await analyzeBase(files, { model: stubs.get(8)!, batchSize: 8 } as never),
  (k, v) => (k === 'timings' ? undefined : v instanceof Uint8Array ? Array.from(v).join('') : v),
)
console.log('results identical (timings aside):', same === sameBase, same.length)
for (const n of [1, 8]) {
  const calls = n === 1 ? 1500 : 250
  const t = { base: [] as number[], now: [] as number[] }
  for (let r = 0; r < calls; r++) {
    for (const [side, fn] of [
      ['base', analyzeBase],
      ['now', analyze],
    ] as const) {
      const t0 = performance.now()
      await fn(files.slice(0, n), { model: stubs.get(n)!, batchSize: n } as never)
      if (r >= 100 / n) t[side].push(performance.now() - t0)
    }
  }
  for (const side of ['base', 'now'] as const) {
    const s = t[side].sort((a, b) => a - b)
    console.log(
      `batch ${n} ${side.padEnd(4)} median ${(s[s.length >> 1]! * 1000).toFixed(0)} µs, fastest tenth mean ${((s.slice(0, s.length / 10).reduce((a, b) => a + b, 0) / (s.length / 10)) * 1000).toFixed(0)} µs`,
    )
  }
}
const gc = (globalThis as { gc?: () => void }).gc
if (gc)
  for (const n of [1, 8])
    for (const [side, fn] of [
      ['base', analyzeBase],
      ['now', analyze],
      ['base', analyzeBase],
      ['now', analyze],
    ] as const) {
      const keep: unknown[] = []
      gc()
      const m0 = process.memoryUsage()
      for (let i = 0; i < 40; i++)
        keep.push(await fn(files.slice(0, n), { model: stubs.get(n)!, batchSize: n } as never))
      const m1 = process.memoryUsage()
      console.log(
        `batch ${n} ${side.padEnd(4)} left per call: heap ${((m1.heapUsed - m0.heapUsed) / 40 / 1024).toFixed(0)} KB, array buffers ${((m1.arrayBuffers - m0.arrayBuffers) / 40 / 1024).toFixed(0)} KB`,
      )
    }

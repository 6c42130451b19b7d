import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'

// In its own process: vitest's own handles keep a test's event loop alive, which would hide a
// process that ends while a worker still holds files.
const dir = mkdtempSync(join(tmpdir(), 'btt-worker-pool-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const pool = new URL('../../src/deid/files/workerPool.ts', import.meta.url).pathname

test('settle keeps the process alive until a busy worker has posted its last message', () => {
  const script = join(dir, 'settle.mts')
  writeFileSync(
    script,
    `
import { Worker } from 'node:worker_threads'
import { startWorkers } from ${JSON.stringify(pool)}
// a worker that takes the job, works 300 ms, posts one file and its last word, as deidWorker does
const worker = new Worker(\`
  const { parentPort } = require('node:worker_threads')
  parentPort.once('message', (job) => {
    const state = new Int32Array(job.state)
    if (Atomics.compareExchange(state, job.slot, 0, 1) !== 0) return
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300)
    job.port.postMessage([{ i: 0, error: { code: 'X', message: 'late' } }, { done: true }])
    Atomics.store(state, job.slot, 3)
    Atomics.notify(state, job.slot)
  })\`, { eval: true })
await new Promise((resolve) => setTimeout(resolve, 200)) // started and waiting for its job
const next = new SharedArrayBuffer(4)
const started = startWorkers([worker], { files: [], out: '.', key: new Uint8Array(1), retain: undefined, clean: undefined, next })
await new Promise((resolve) => setTimeout(resolve, 50)) // the worker has taken the job
const got: unknown[] = []
await started.settle((m) => got.push(m))
console.log(JSON.stringify(got))
`,
  )
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@btt/source', script],
    { encoding: 'utf8', timeout: 30_000 },
  )
  expect(child.status, child.stderr).toBe(0)
  expect(JSON.parse(child.stdout.trim())).toEqual([
    { i: 0, error: { code: 'X', message: 'late' } },
    { done: true },
  ])
})

test('serveDeidJob refuses a port that is not one, and does nothing without one', async () => {
  const { serveDeidJob } = await import('../../src/deid/index.js')
  for (const bad of [{}, 'port', 42])
    expect(() => serveDeidJob(bad as never)).toThrow(
      expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }),
    )
  expect(() => serveDeidJob(null)).not.toThrow()
})

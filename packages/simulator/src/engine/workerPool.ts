import { Worker } from 'node:worker_threads'
import type { RunResult } from './runOnce.js'

export type Task = { id: number; variant: number; run: number; seed: number }
export type TaskOutcome = { id: number; result?: RunResult; error?: string }

/** Where the worker script is: the built `.js` next to this bundle, or the `.ts` source via tsx. */
function workerSpec(): { url: URL; execArgv: string[] } {
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    return { url: new URL('../worker-source.mjs', here), execArgv: ['--conditions=@btt/source'] }
  }
  return { url: new URL('./worker.js', here), execArgv: [] }
}

/**
 * A fixed pool of worker threads running simulation tasks. `run` resolves with the outcome of a
 * task, never rejects: a task that throws comes back with `error`, and a worker that dies is
 * replaced, failing only the tasks it held.
 */
export class WorkerPool {
  readonly #workers: { worker: Worker; busy: Map<number, (o: TaskOutcome) => void> }[] = []
  readonly #data: unknown
  #next = 0

  constructor(size: number, data: unknown) {
    this.#data = data
    for (let i = 0; i < size; i++) this.#workers.push(this.#spawn())
  }

  #spawn() {
    const { url, execArgv } = workerSpec()
    const slot = { worker: new Worker(url, { workerData: this.#data, execArgv }), busy: new Map() }
    slot.worker.on('message', (outcome: TaskOutcome) => {
      slot.busy.get(outcome.id)?.(outcome)
      slot.busy.delete(outcome.id)
    })
    const fail = (message: string) => {
      for (const [id, resolve] of slot.busy) resolve({ id, error: message })
      slot.busy.clear()
      const i = this.#workers.indexOf(slot)
      if (i >= 0) this.#workers[i] = this.#spawn()
    }
    slot.worker.on('error', (error) => fail(error.message))
    slot.worker.on('exit', (code) => {
      if (code !== 0 && slot.busy.size) fail(`worker exited with code ${code}`)
    })
    return slot
  }

  run(task: Task): Promise<TaskOutcome> {
    // the least busy worker (ties in turn)
    const start = this.#next++ % this.#workers.length
    let slot = this.#workers[start]!
    for (let i = 1; i < this.#workers.length; i++) {
      const candidate = this.#workers[(start + i) % this.#workers.length]!
      if (candidate.busy.size < slot.busy.size) slot = candidate
    }
    return new Promise((resolve) => {
      slot.busy.set(task.id, resolve)
      slot.worker.postMessage(task)
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.worker.terminate()))
  }
}

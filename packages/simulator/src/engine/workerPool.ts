import { Worker } from 'node:worker_threads'
import { SimulatorError } from '../errors.js'
import type { RunResult } from './columns.js'

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

type Slot = {
  worker: Worker
  busy: Map<number, { resolve: (o: TaskOutcome) => void; reject: (e: unknown) => void }>
  answered: boolean
}

/**
 * A fixed pool of worker threads running simulation tasks. `run` resolves with the outcome of a
 * task: a task that throws comes back with `error`, and a worker that dies is replaced, failing
 * only the tasks it held. Workers that keep dying before they answer anything (a worker that
 * cannot start) break the pool: every task then rejects with `SIM_WORKER_FAILED`.
 */
export class WorkerPool {
  readonly #workers: Slot[] = []
  readonly #data: unknown
  /** Workers that died before answering, since the last answer. */
  #deaths = 0
  #broken: SimulatorError | undefined
  #closed = false
  #next = 0

  constructor(size: number, data: unknown) {
    this.#data = data
    for (let i = 0; i < size; i++) this.#workers.push(this.#spawn())
  }

  #spawn(): Slot {
    const { url, execArgv } = workerSpec()
    const worker = new Worker(url, { workerData: this.#data, execArgv })
    const slot: Slot = { worker, busy: new Map(), answered: false }
    worker.on('message', (outcome: TaskOutcome) => {
      slot.answered = true
      this.#deaths = 0
      slot.busy.get(outcome.id)?.resolve(outcome)
      slot.busy.delete(outcome.id)
    })
    worker.on('error', (error) => this.#died(slot, error.message, error))
    worker.on('exit', (code) => {
      if (code !== 0 && !this.#closed) this.#died(slot, `worker exited with code ${code}`)
    })
    return slot
  }

  #died(slot: Slot, message: string, cause?: unknown) {
    const i = this.#workers.indexOf(slot)
    if (i < 0) return // already handled (error, then exit)
    if (!slot.answered) this.#deaths++
    if (this.#deaths > this.#workers.length * 2 && !this.#broken)
      this.#broken = new SimulatorError(
        'SIM_WORKER_FAILED',
        `Worker threads keep dying before they run anything: ${message}`,
        { cause, details: { deaths: this.#deaths } },
      )
    for (const [id, task] of slot.busy)
      if (this.#broken) task.reject(this.#broken)
      else task.resolve({ id, error: message })
    slot.busy.clear()
    if (this.#broken || this.#closed) this.#workers.splice(i, 1)
    else this.#workers[i] = this.#spawn()
  }

  run(task: Task): Promise<TaskOutcome> {
    if (this.#broken || !this.#workers.length)
      return Promise.reject(
        this.#broken ?? new SimulatorError('SIM_WORKER_FAILED', 'The worker pool is closed.'),
      )
    // the least busy worker (ties in turn)
    const start = this.#next++ % this.#workers.length
    let slot = this.#workers[start]!
    for (let i = 1; i < this.#workers.length; i++) {
      const candidate = this.#workers[(start + i) % this.#workers.length]!
      if (candidate.busy.size < slot.busy.size) slot = candidate
    }
    return new Promise((resolve, reject) => {
      slot.busy.set(task.id, { resolve, reject })
      slot.worker.postMessage(task)
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    await Promise.all(this.#workers.map((w) => w.worker.terminate()))
  }
}

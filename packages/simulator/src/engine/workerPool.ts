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

type Pending = { task: Task; resolve: (o: TaskOutcome) => void; reject: (e: unknown) => void }
type Slot = {
  worker: Worker
  busy: Map<number, Pending>
  /** The worker has parsed the scenario and said so. */
  ready: boolean
}

/** Consecutive workers that may die before they are ready, per worker in the pool. */
const START_FAILURES_PER_WORKER = 2

/**
 * A fixed pool of worker threads running simulation tasks. `run` resolves with the outcome of a
 * task: a task that throws comes back with `error`, and a worker that dies while running is
 * replaced, failing only the tasks it held. A worker that dies before it is ready (it could not
 * start) is replaced and its tasks go to the replacement; when workers keep failing to start, the
 * pool is broken and every task rejects with `SIM_WORKER_FAILED`.
 */
export class WorkerPool {
  readonly #workers: Slot[] = []
  readonly #data: unknown
  /** Workers that died before they were ready, since one last was. */
  #startFailures = 0
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
    const slot: Slot = { worker, busy: new Map(), ready: false }
    worker.on('message', (message: TaskOutcome | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true
        this.#startFailures = 0
        return
      }
      slot.busy.get(message.id)?.resolve(message)
      slot.busy.delete(message.id)
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
    const pending = [...slot.busy.values()]
    slot.busy.clear()
    if (!slot.ready && ++this.#startFailures > this.#workers.length * START_FAILURES_PER_WORKER)
      this.#broken ??= new SimulatorError(
        'SIM_WORKER_FAILED',
        `Worker threads fail to start: ${message}`,
        { cause, details: { startFailures: this.#startFailures } },
      )
    if (this.#broken || this.#closed) {
      this.#workers.splice(i, 1)
      for (const p of pending)
        p.reject(this.#broken ?? new SimulatorError('SIM_WORKER_FAILED', message))
      return
    }
    const replacement = this.#spawn()
    this.#workers[i] = replacement
    for (const p of pending)
      if (slot.ready) p.resolve({ id: p.task.id, error: message })
      else this.#post(replacement, p) // it never started: the replacement runs it
  }

  #post(slot: Slot, pending: Pending) {
    slot.busy.set(pending.task.id, pending)
    slot.worker.postMessage(pending.task)
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
    return new Promise((resolve, reject) => this.#post(slot, { task, resolve, reject }))
  }

  async close(): Promise<void> {
    this.#closed = true
    await Promise.all(this.#workers.map((w) => w.worker.terminate()))
  }
}

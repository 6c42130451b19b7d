import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { DeidentifyOptions } from '../deidentify.js'
import type { PseudonymKind } from '../vault.js'
import type { InputFile } from './collectInputs.js'

/** The job each worker of {@link startWorkers} is sent (its one message). */
export type WorkerJob = {
  files: readonly InputFile[]
  out: string
  key: Uint8Array
  retain: DeidentifyOptions['retain']
  clean: DeidentifyOptions['clean']
  /** Int32Array[1]: the next file index to take, shared by every thread. */
  next: SharedArrayBuffer
  /** Int32Array[workers]: each worker's {@link workerStates}. */
  state: SharedArrayBuffer
  slot: number
  /** Where the worker posts its {@link WorkerMessage}s. */
  port: MessagePort
}

/** A file staged by a worker, a file it could not do, or the worker's last word (posted in lists). */
export type WorkerMessage =
  | {
      i: number
      temp: string
      target: string
      pseudonym: string | undefined
      records: [PseudonymKind, string, string][]
    }
  | { i: number; error: { code: string; message: string; details?: unknown } }
  | { done: true }

/**
 * A worker is waiting to start, has taken up the work, was told not to, or has posted its last
 * message (it may still be shutting down: nothing to wait for).
 */
export const workerStates = { waiting: 0, running: 1, cancelled: 2, finished: 3 } as const

/**
 * Starts a worker thread for {@link deidentifyFiles}: it loads the de-identification code, then
 * waits for its job. The built script is also exported as `@btt/connectors/deid/worker`, so that
 * a caller (the CLI) can start workers before loading this package, while it loads. Returns
 * undefined where the script is not beside this module (bundled elsewhere): the calling thread
 * then does every file.
 */
export function startDeidWorker(): Worker | undefined {
  const here = import.meta.url
  if (here.endsWith('.ts'))
    return new Worker(new URL('./deidWorker-source.mjs', here), {
      execArgv: ['--conditions=@btt/source'],
    })
  for (const path of ['./deid/worker.js', './worker.js', '../deid/worker.js']) {
    const url = new URL(path, here)
    if (existsSync(fileURLToPath(url))) return new Worker(url)
  }
  return undefined
}

/**
 * How many worker threads a batch gets by default: one per core beyond the calling thread's, at
 * most 7. Not fewer on a busy machine: with a busy loop on every one of 2 cores, `btt deid` over
 * the 521-file bench corpus took 581 ms with one worker and 715 ms without
 * (scripts/bench-deid-threads.ts), so there is nothing to gain by guessing the load.
 */
export function defaultWorkers(): number {
  return Math.max(0, Math.min(availableParallelism() - 1, 7))
}

/** Workers started by {@link startWorkers}. */
export type WorkerPool = {
  /** Hands each message that has arrived to `receive`, without waiting. */
  drain(receive: (message: WorkerMessage) => void): void
  /**
   * Once the shared counter is past the last file: cancels the workers that have not started,
   * waits for the others to post their last message (or die), handing their messages to
   * `receive`. A worker's own shutdown is not waited for (it is unref'd).
   */
  settle(receive: (message: WorkerMessage) => void): Promise<void>
  /** Stops every worker now (on failure); what they staged is handed to `receive` to discard. */
  stop(receive: (message: WorkerMessage) => void): void
}

/**
 * Sends the job to `workers` (started by {@link startDeidWorker}, or as many started now), which
 * take files from the shared counter `job.next`. Messages are read synchronously
 * (`receiveMessageOnPort`), so the calling thread, itself de-identifying files, picks them up
 * between its own files.
 */
export function startWorkers(
  workers: number | readonly Worker[],
  job: Omit<WorkerJob, 'slot' | 'port' | 'state'>,
): WorkerPool {
  const started =
    typeof workers === 'number'
      ? Array.from({ length: workers }, startDeidWorker).filter((w) => w !== undefined)
      : workers
  const state = new Int32Array(new SharedArrayBuffer(4 * Math.max(started.length, 1)))
  const pool = started.map((worker, slot) => {
    const { port1, port2 } = new MessageChannel()
    worker.ref() // started early by a caller, it may have been unref'd
    const ended = new Promise<void>((resolve) => {
      worker.once('exit', () => resolve())
      worker.once('error', () => resolve()) // its file is redone by the calling thread
    })
    worker.postMessage({ ...job, state: state.buffer, slot, port: port2 } satisfies WorkerJob, [
      port2,
    ])
    return { worker, port: port1, ended, slot }
  })
  const drain = (receive: (m: WorkerMessage) => void) => {
    for (const w of pool)
      for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port))
        for (const message of m.message as WorkerMessage[]) receive(message)
  }
  return {
    drain,
    async settle(receive) {
      const running: Promise<void>[] = []
      for (const w of pool) {
        const was = Atomics.compareExchange(
          state,
          w.slot,
          workerStates.waiting,
          workerStates.cancelled,
        )
        if (was === workerStates.waiting) {
          w.worker.unref()
          void w.worker.terminate()
        }
        // ref'd while it works: a pending Atomics.waitAsync alone does not keep the process
        // alive, and the process must not end before the worker's last files are read
        else
          running.push(
            Promise.race([w.ended, finished(state, w.slot)]).then(() => void w.worker.unref()),
          )
      }
      await Promise.all(running)
      drain(receive)
      for (const w of pool) w.port.close()
    },
    stop(receive) {
      for (const w of pool) void w.worker.terminate()
      drain(receive)
      for (const w of pool) w.port.close()
    },
  }
}

/**
 * Resolves once the worker in `slot` has posted its last message (its state leaves `running`):
 * what it posted can then be read with `receiveMessageOnPort`.
 */
async function finished(state: Int32Array, slot: number): Promise<void> {
  while (Atomics.load(state, slot) === workerStates.running) {
    const wait = (Atomics as unknown as WaitAsync).waitAsync(state, slot, workerStates.running)
    if (wait.async) await wait.value
  }
}
/** `Atomics.waitAsync` (ES2024; Node 16+), not in this project's ES2022 library types. */
type WaitAsync = {
  waitAsync(
    a: Int32Array,
    i: number,
    v: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> }
}

import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { DeidentifyOptions } from '../deidentify.js'
import type { PseudonymKind } from '../vault.js'
import type { InputFile } from './collectInputs.js'

/** What each worker of {@link startWorkers} is given. */
export type WorkerInput = {
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
}

/** A file staged by a worker, a file it could not do, or the worker's last word. */
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

/** A worker is waiting to start, has taken up the work, or was told not to. */
export const workerStates = { waiting: 0, running: 1, cancelled: 2 } as const

/** The worker script: the built `.js` beside this module's chunk, or the source through tsx. */
function workerScript(): { url: URL; execArgv: string[] } | undefined {
  const here = import.meta.url
  if (here.endsWith('.ts'))
    return { url: new URL('./deidWorker-source.mjs', here), execArgv: ['--conditions=@btt/source'] }
  for (const path of ['./deid/worker.js', './worker.js', '../deid/worker.js']) {
    const url = new URL(path, here)
    if (existsSync(fileURLToPath(url))) return { url, execArgv: [] }
  }
  return undefined // bundled elsewhere without the worker: the calling thread does every file
}

/** Workers started by {@link startWorkers}. */
export type WorkerPool = {
  /** Hands each message that has arrived to `receive`, without waiting. */
  drain(receive: (message: WorkerMessage) => void): void
  /**
   * Once the shared counter is past the last file: cancels the workers that have not started,
   * waits for the others (each ends with `done`, or dies), handing their messages to `receive`.
   */
  settle(receive: (message: WorkerMessage) => void): Promise<void>
  /** Stops every worker now (on failure); what they staged is handed to `receive` to discard. */
  stop(receive: (message: WorkerMessage) => void): void
}

/**
 * Starts `count` worker threads that take files from the shared counter `input.next`. Messages
 * are read synchronously (`receiveMessageOnPort`), so the calling thread, itself de-identifying
 * files, picks them up between its own files.
 */
export function startWorkers(count: number, input: Omit<WorkerInput, 'slot'>): WorkerPool {
  const script = count > 0 ? workerScript() : undefined
  const state = new Int32Array(input.state)
  const workers = script
    ? Array.from({ length: count }, (_, slot) => {
        const { port1, port2 } = new MessageChannel()
        const worker = new Worker(script.url, {
          workerData: { ...input, slot, port: port2 },
          transferList: [port2],
          execArgv: script.execArgv,
        })
        const ended = new Promise<void>((resolve) => {
          worker.once('exit', () => resolve())
          worker.once('error', () => resolve()) // its file is redone by the calling thread
        })
        return { worker, port: port1, ended, slot }
      })
    : []
  const drain = (receive: (m: WorkerMessage) => void) => {
    for (const w of workers)
      for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port))
        receive(m.message as WorkerMessage)
  }
  return {
    drain,
    async settle(receive) {
      const running: Promise<void>[] = []
      for (const w of workers) {
        const was = Atomics.compareExchange(
          state,
          w.slot,
          workerStates.waiting,
          workerStates.cancelled,
        )
        if (was === workerStates.waiting) {
          w.worker.unref()
          void w.worker.terminate()
        } else running.push(w.ended)
      }
      await Promise.all(running)
      drain(receive)
      for (const w of workers) w.port.close()
    },
    stop(receive) {
      for (const w of workers) void w.worker.terminate()
      drain(receive)
      for (const w of workers) w.port.close()
    },
  }
}

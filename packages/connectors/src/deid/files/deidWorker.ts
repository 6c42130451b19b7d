// The worker-thread side of deidentifyFiles: waits for its one job, takes the next file index
// from the shared counter until none is left, de-identifies and stages each file, and posts what
// the calling thread needs to record the pseudonyms and put the file in place.
import { type MessagePort, parentPort } from 'node:worker_threads'
import { toBttError } from '@btt/core/errors'
import { ConnectorsError } from '../../errors.js'
import { createDeidentifier } from '../deidentify.js'
import type { PseudonymKind, PseudonymVault } from '../vault.js'
import { stageOne } from './stageOne.js'
import { type WorkerJob, type WorkerMessage, workerStates } from './workerPool.js'

/**
 * Serves {@link deidentifyFiles} from a worker thread: waits on `port` (the thread's
 * `parentPort`) for its one job and does it. The package's worker script
 * (`@btt/connectors/deid/worker`, what {@link startDeidWorker} starts) is this call alone; a
 * caller that bundles the de-identification code into a script of its own (the CLI's `btt deid`,
 * loaded through a code cache) calls it from its own worker script.
 *
 * @param port - where the job comes from; default the worker's `parentPort` (none on the main
 *   thread: then nothing is done).
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` when `port` is not a MessagePort.
 * @example
 * ```ts
 * // worker.mjs, a caller's own worker script (started as `new Worker('./worker.mjs')` and
 * // given to deidentifyFiles({ workers: [worker] }))
 * import { serveDeidJob } from '@btt/connectors/deid'
 * serveDeidJob()
 * ```
 */
export function serveDeidJob(port: MessagePort | null = parentPort): void {
  if (port !== null && typeof (port as { once?: unknown } | undefined)?.once !== 'function')
    throw new ConnectorsError(
      'CONNECTORS_INVALID_ARGUMENT',
      "serveDeidJob: the port must be a MessagePort (the worker's parentPort), or null.",
      { details: { port: typeof port } },
    )
  port?.once('message', (job: WorkerJob) => {
    const state = new Int32Array(job.state)
    // the calling thread may have finished the batch before this worker was ready: it cancels
    const { waiting, running } = workerStates
    if (Atomics.compareExchange(state, job.slot, waiting, running) !== waiting) return
    work(job)
    job.port.postMessage([{ done: true }] satisfies WorkerMessage[])
    // what it posted is queued: the calling thread need not wait for this thread to shut down
    Atomics.store(state, job.slot, workerStates.finished)
    Atomics.notify(state, job.slot)
  })
}

function work({ files, out, key, retain, clean, port, next: counter }: WorkerJob) {
  const next = new Int32Array(counter)
  let records: [PseudonymKind, string, string][] = []
  const sent = new Set<string>() // a study's UIDs and patient recur in every file: sent once
  const vault: PseudonymVault = {
    key,
    record(kind, pseudonym, original) {
      if (sent.has(pseudonym)) return
      sent.add(pseudonym)
      records.push([kind, pseudonym, original])
    },
    original: () => undefined,
    size: () => records.length,
    close: () => undefined,
  }
  const deidentify = createDeidentifier({ retain, clean, vault })
  const scratch = {}
  let messages: WorkerMessage[] = [] // posted a few at a time: each message costs the receiver
  for (let i = Atomics.add(next, 0, 1); i < files.length; i = Atomics.add(next, 0, 1)) {
    records = []
    try {
      const { staged, pseudonym } = stageOne(files[i]!, deidentify, out, scratch)
      messages.push({ i, temp: staged.temp, target: staged.target, pseudonym, records })
    } catch (error) {
      for (const [, pseudonym] of records) sent.delete(pseudonym) // not sent after all
      messages.push({ i, error: toBttError(error).toJSON() })
    }
    if (messages.length >= POST_EVERY) {
      port.postMessage(messages)
      messages = []
    }
  }
  if (messages.length) port.postMessage(messages)
}

const POST_EVERY = 8

// Worker thread of deidentifyFiles: takes the next file index from the shared counter until
// none is left, de-identifies and stages each file, and posts what the calling thread needs to
// record the pseudonyms and put the file in place.
import { type MessagePort, workerData } from 'node:worker_threads'
import { toBttError } from '@btt/core/errors'
import { createDeidentifier } from '../deidentify.js'
import type { PseudonymKind, PseudonymVault } from '../vault.js'
import type { InputFile } from './collectInputs.js'
import { stageOne } from './stageOne.js'
import { type WorkerInput, type WorkerMessage, workerStates } from './workerPool.js'

const input = workerData as WorkerInput & { port: MessagePort }
const { files, out, port, slot } = input
const state = new Int32Array(input.state)
const next = new Int32Array(input.next)

// the calling thread may have finished the batch before this worker started: then it cancels
if (
  Atomics.compareExchange(state, slot, workerStates.waiting, workerStates.running) ===
  workerStates.waiting
) {
  let records: [PseudonymKind, string, string][] = []
  const vault: PseudonymVault = {
    key: input.key,
    record: (kind, pseudonym, original) => void records.push([kind, pseudonym, original]),
    original: () => undefined,
    size: () => records.length,
    close: () => undefined,
  }
  const deidentify = createDeidentifier({ retain: input.retain, clean: input.clean, vault })
  const scratch = {}
  for (let i = Atomics.add(next, 0, 1); i < files.length; i = Atomics.add(next, 0, 1)) {
    records = []
    port.postMessage(stage(i, files[i]!))
  }
  function stage(i: number, file: InputFile): WorkerMessage {
    try {
      const { staged, pseudonym } = stageOne(file, deidentify, out, scratch)
      return { i, temp: staged.temp, target: staged.target, pseudonym, records }
    } catch (error) {
      return { i, error: toBttError(error).toJSON() }
    }
  }
}
port.postMessage({ done: true } satisfies WorkerMessage)

// Worker thread: prepares scenario variants once, then runs the tasks the pool sends.
import { parentPort, workerData } from 'node:worker_threads'
import { type PreparedVariant, prepareVariant } from './engine/prepareVariant.js'
import { runOnce } from './engine/runOnce.js'
import type { Task } from './engine/workerPool.js'
import { parseScenario } from './scenario/parseScenario.js'

const { raw, source } = workerData as { raw: unknown; source: string }
const parsed = parseScenario(raw, source)
const prepared = new Map<number, PreparedVariant>()
parentPort!.postMessage({ ready: true })

parentPort!.on('message', (task: Task) => {
  try {
    let p = prepared.get(task.variant)
    if (!p) {
      p = prepareVariant(parsed.variants[task.variant]!)
      prepared.set(task.variant, p)
    }
    const result = runOnce(p, task.run, task.seed)
    const transfer = [...Object.values(result.epochs), ...Object.values(result.months)].map(
      (a) => a.buffer,
    )
    parentPort!.postMessage({ id: task.id, result }, transfer as ArrayBuffer[])
  } catch (error) {
    parentPort!.postMessage({
      id: task.id,
      error: error instanceof Error ? error.message : String(error),
    })
  }
})

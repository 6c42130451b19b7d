import { type PreparedVariant, prepareVariant } from '../engine/prepareVariant.js'
import { runOnce } from '../engine/runOnce.js'
import { type Task, type TaskOutcome, WorkerPool } from '../engine/workerPool.js'
import type { Variant } from '../scenario/parseScenario.js'

/** Starts tasks, in worker threads or on this thread, and closes what it opened. */
export type Launcher = { launch: (task: Task) => Promise<TaskOutcome>; close: () => Promise<void> }

/**
 * A launcher for a scenario's runs: a pool of `workers` threads (each parses the raw scenario and
 * prepares each variant once), or, with 0 workers, runs on the calling thread, yielding to the
 * event loop between runs. A run that throws comes back as an outcome with its message.
 */
export function createLauncher(
  workers: number,
  scenario: { raw: unknown; source: string; variants: readonly Variant[] },
): Launcher {
  if (workers > 0) {
    const pool = new WorkerPool(workers, { raw: scenario.raw, source: scenario.source })
    return { launch: (task) => pool.run(task), close: () => pool.close() }
  }
  const prepared = new Map<number, PreparedVariant>()
  const launch = async (task: Task): Promise<TaskOutcome> => {
    await new Promise((r) => setImmediate(r))
    try {
      let p = prepared.get(task.variant)
      if (!p) {
        p = prepareVariant(scenario.variants[task.variant]!)
        prepared.set(task.variant, p)
      }
      return { id: task.id, result: runOnce(p, task.run, task.seed) }
    } catch (error) {
      return { id: task.id, error: error instanceof Error ? error.message : String(error) }
    }
  }
  return { launch, close: async () => {} }
}

import type { Task } from '../engine/workerPool.js'
import { mix32 } from '../random/createRng.js'

/** The runs to do, by position, made on demand (a plan of a million runs holds no array). */
export type TaskPlan = { readonly length: number; at(index: number): Task }

/**
 * Every run of every variant, in the order results are consumed: variant by variant, run by
 * run. Each run's seed derives from the master seed, the variant and the run index, so a run
 * is reproducible on its own.
 */
export function planTasks(variants: number, runs: number, seed: number): TaskPlan {
  return {
    length: variants * runs,
    at: (id) => {
      const variant = Math.floor(id / runs)
      const run = id % runs
      return { id, variant, run, seed: mix32(mix32(seed, variant), run) }
    },
  }
}

import type { Task, TaskOutcome } from '../engine/workerPool.js'
import type { TaskPlan } from './planTasks.js'

/**
 * Runs tasks with a bounded window in flight and yields their outcomes strictly in task order,
 * whatever order they finish in. A launch that rejects ends the iteration with that error; the
 * other outcomes in flight are dropped, never left as unhandled rejections.
 *
 * @param tasks - what to run, in the order to consume.
 * @param launch - starts one task.
 * @param window - how many tasks may be in flight at once (at least 1).
 */
export async function* inOrder(
  tasks: TaskPlan,
  launch: (task: Task) => Promise<TaskOutcome>,
  window: number,
): AsyncGenerator<{ task: Task; outcome: TaskOutcome }> {
  const inflight = new Map<number, Promise<TaskOutcome>>()
  let next = 0
  for (let i = 0; i < tasks.length; i++) {
    while (next < tasks.length && next < i + Math.max(1, window)) {
      const promise = launch(tasks.at(next))
      promise.catch(() => {}) // awaited in order below; this keeps a later rejection handled
      inflight.set(next, promise)
      next++
    }
    const outcome = await inflight.get(i)!
    inflight.delete(i)
    yield { task: tasks.at(i), outcome }
  }
}

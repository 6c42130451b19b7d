/**
 * One job at a time per study: `run(study, fn)` starts `fn` once every earlier job for the same
 * study has settled (studies do not wait for each other). `idle()` resolves when all have settled.
 *
 * @returns `run` and `idle`.
 * @example
 * ```ts
 * const queue = createStudyQueue()
 * await Promise.all([queue.run('1.2', analyse), queue.run('1.2', analyse)]) // one after the other
 * ```
 */
export function createStudyQueue() {
  const queues = new Map<string, Promise<unknown>>()
  return {
    run<T>(study: string, fn: () => Promise<T>): Promise<T> {
      const next = (queues.get(study) ?? Promise.resolve()).catch(() => {}).then(fn)
      queues.set(study, next)
      void next.catch(() => {}).finally(() => queues.get(study) === next && queues.delete(study))
      return next
    },
    idle: () => Promise.allSettled([...queues.values()]).then(() => {}),
  }
}

import type { JobQueue } from './queue.js'
import type { QueuedJob } from './types.js'

/**
 * The in-process queue: a job runs at once (at most `concurrency` at a time, the rest wait in
 * order); the same job id submitted twice runs once.
 */
export function createLocalQueue(
  processor: (job: QueuedJob) => Promise<void>,
  concurrency = 64,
): JobQueue {
  const running = new Map<string, Promise<void>>()
  const waiting: (() => void)[] = []
  let active = 0
  let closed = false
  const slot = async () => {
    if (active >= concurrency) await new Promise<void>((r) => waiting.push(r))
    active++
  }
  const release = () => {
    active--
    waiting.shift()?.()
  }
  return {
    run(job) {
      let p = running.get(job.jobId)
      if (!p) {
        p = (async () => {
          await slot()
          try {
            if (!closed) await processor(job)
          } finally {
            release()
            running.delete(job.jobId)
          }
        })()
        running.set(job.jobId, p)
      }
      return p
    },
    async close() {
      closed = true
      await Promise.allSettled([...running.values()])
    },
  }
}

import { type Job, Queue, QueueEvents, Worker } from 'bullmq'
import type { JobQueue } from './queue.js'
import type { QueuedJob } from './types.js'

type Data = Omit<QueuedJob, 'input'> & { input: string }
const NAME = 'btt-compute-jobs'

/**
 * The job queue on BullMQ: a job is added once by its id (a second add of the same id is the
 * same job); any coordinator process's worker may run it; a job whose process died is picked
 * up again once its lock lapses (stalled), and its result is read from the shared store. A job
 * still unfinished after `fallbackMs` is run by the waiting process itself (paid once all the
 * same: the store records a job once).
 */
export async function createBullQueue(
  url: string,
  processor: (job: QueuedJob) => Promise<void>,
  concurrency = 64,
  isDone?: (jobId: string) => Promise<boolean>,
  fallbackMs = 15_000,
): Promise<JobQueue> {
  const connection = { url, maxRetriesPerRequest: null }
  const queue = new Queue<Data>(NAME, { connection })
  const events = new QueueEvents(NAME, { connection })
  const worker = new Worker<Data>(
    NAME,
    async (job: Job<Data>) =>
      processor({ ...job.data, input: Buffer.from(job.data.input, 'base64') }),
    { connection, concurrency, lockDuration: 5000, stalledInterval: 2000, maxStalledCount: 5 },
  )
  // connection errors while Redis restarts: BullMQ reconnects; a job's own failure is retried
  worker.on('error', () => {})
  queue.on('error', () => {})
  events.on('error', () => {})
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), worker.waitUntilReady()])
  return {
    async run(job) {
      const added = await queue.add(
        'job',
        { ...job, input: job.input.toString('base64') },
        {
          jobId: job.jobId,
          attempts: 5,
          backoff: { type: 'exponential', delay: 200 },
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 86_400 },
        },
      )
      const started = Date.now()
      let ranHere = false
      for (;;) {
        if (isDone && (await isDone(job.jobId))) return
        // a queue that lost track of the job (a worker stuck across a Redis restart): run it
        // here; the store records it once whoever finishes first
        if (!ranHere && Date.now() - started > fallbackMs) {
          ranHere = true
          await processor(job)
          continue
        }
        try {
          await added.waitUntilFinished(events, 2000)
          return
        } catch (error) {
          if (!/timed out|ttl/i.test((error as Error).message)) throw error
        }
      }
    },
    async close() {
      // jobs still running get 5 s to finish; then the worker is closed by force (their locks
      // lapse and another process picks them up as stalled)
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<'late'>((r) => {
        timer = setTimeout(() => r('late'), 5000)
      })
      if ((await Promise.race([worker.close(), late])) === 'late') await worker.close(true)
      clearTimeout(timer)
      await Promise.all([events.close(), queue.close()])
    },
  }
}

import { type Job, Queue, QueueEvents, Worker } from 'bullmq'
import type { JobQueue } from './queue.js'
import type { QueuedJob } from './types.js'

type Data = Omit<QueuedJob, 'input'> & { input: string }
const NAME = 'btt-compute-jobs'

/**
 * The job queue on BullMQ: a job is added once by its id (a second add of the same id is the
 * same job); any coordinator process's worker may run it; a job whose process died is picked
 * up again once its lock lapses (stalled), and its result is read from the shared store.
 */
export async function createBullQueue(
  url: string,
  processor: (job: QueuedJob) => Promise<void>,
  concurrency = 64,
  isDone?: (jobId: string) => Promise<boolean>,
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
  worker.on('error', () => {})
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
      for (;;) {
        if (isDone && (await isDone(job.jobId))) return
        try {
          await added.waitUntilFinished(events, 2000)
          return
        } catch (error) {
          if (!/timed out|ttl/i.test((error as Error).message)) throw error
        }
      }
    },
    async close() {
      await worker.close()
      await Promise.all([events.close(), queue.close()])
    },
  }
}

import { type Job, Queue, QueueEvents, Worker } from 'bullmq'
import { createLocalQueue } from './localQueue.js'
import type { JobQueue } from './queue.js'
import type { QueuedJob } from './types.js'

type Data = Omit<QueuedJob, 'input'> & { input: string }
const NAME = 'btt-compute-jobs'

/**
 * The job queue on BullMQ, for several coordinator processes sharing Redis. The process that
 * takes a request runs the job at once itself; the job is also added to BullMQ once by its id,
 * delayed by `takeoverMs`, and removed when it finishes here. If this process dies first, the
 * delayed job comes due and any process's worker runs it (a job whose worker died is picked up
 * again once its lock lapses, as stalled). Running twice is harmless: a job is recorded, and
 * paid, once (the store's check-and-set), and a late node answer is fenced by its lease.
 */
export async function createBullQueue(
  url: string,
  processor: (job: QueuedJob) => Promise<void>,
  concurrency = 64,
  isDone?: (jobId: string) => Promise<boolean>,
  takeoverMs = 30_000,
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
  // one completion listener per job waited on: as many as jobs in flight
  queue.setMaxListeners(0)
  events.setMaxListeners(0)
  // connection errors while Redis restarts: BullMQ reconnects; a job's own failure is retried
  worker.on('error', () => {})
  queue.on('error', () => {})
  events.on('error', () => {})
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), worker.waitUntilReady()])
  // jobs run by the process that took them: at most `concurrency` at once, one run per id
  const here = createLocalQueue(processor, concurrency)
  let closing = false
  // waits for a job whose run here failed (Redis away): run by a worker, or here once more
  const untilFinished = async (job: QueuedJob, added: Job<Data>) => {
    const started = Date.now()
    let ranHere = false
    for (;;) {
      if (isDone && (await isDone(job.jobId))) return
      if (!ranHere && Date.now() - started > takeoverMs / 2) {
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
  }
  return {
    async run(job) {
      // added while it already runs here: a crash before the add leaves the client's retry
      const adding = queue.add(
        'job',
        { ...job, input: job.input.toString('base64') },
        {
          jobId: job.jobId,
          delay: takeoverMs,
          attempts: 5,
          backoff: { type: 'exponential', delay: 200 },
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 86_400 },
        },
      )
      adding.catch(() => {})
      try {
        await here.run(job)
      } catch {
        return untilFinished(job, await adding)
      }
      // done here: the delayed copy is not needed (one a worker already holds ends at once);
      // while closing, a job may have been skipped here, so its copy stays for another process
      if (!closing) adding.then((added) => added.remove()).catch(() => {})
    },
    async close() {
      closing = true
      // jobs running here get 5 s to finish (then their delayed copies take over elsewhere); a
      // job a worker took over is abandoned at once: its lock lapses and another process picks
      // it up as stalled. Each close is bounded: a connection stuck across a Redis restart
      // must not hold the process.
      await within(here.close(), 5000)
      await within(worker.close(true), 3000)
      await within(Promise.all([events.close(), queue.close()]), 3000)
      for (const c of [worker, events, queue]) await within(c.disconnect(), 1000)
    },
  }
}

/** Waits for `p` at most `ms` (its failure ignored). */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    p.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms)
    }),
  ])
  clearTimeout(timer)
}

import type { QueuedJob } from './types.js'

/** Where jobs wait to run: in process, or a BullMQ queue shared by several coordinators. */
export interface JobQueue {
  /** Enqueues the job unless its id is queued already, and resolves once it has been processed. */
  run(job: QueuedJob): Promise<void>
  close(): Promise<void>
}

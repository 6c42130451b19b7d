import { EventEmitter } from 'node:events'
import { parseWithCode, toBttError } from '@btt/core'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'
import { findNewStudies } from './findNewStudies.js'
import { processStudy } from './processStudy.js'
import { createStudyQueue } from './studyQueue.js'
import type {
  FailureEvent,
  FlowContext,
  PacsEvents,
  PacsWatchOptions,
  ResultEvent,
  StudyEvent,
} from './types.js'

export type { FailureEvent, PacsWatchOptions, ResultEvent, StudyEvent } from './types.js'

const hasMethods = (...names: string[]) =>
  z.custom<object>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      names.every((n) => typeof (v as Record<string, unknown>)[n] === 'function'),
    { message: `needs ${names.join(', ')}` },
  )
const optionsSchema = z.object({
  pacs: hasMethods('store'),
  jobs: hasMethods('done', 'record', 'latestDone', 'versions'),
  analyze: z.object({}).passthrough().optional(),
  remote: z
    .object({ vault: z.object({}).passthrough() })
    .passthrough()
    .optional(),
  query: z.record(z.string(), z.string()).optional(),
  intervalSeconds: z.number().positive().max(86_400).optional(),
  segmentation: z.boolean().optional(),
  pricing: z.union([z.literal(false), z.object({}).passthrough()]).optional(),
})

/**
 * The PACS flow: find studies by QIDO-RS, retrieve the new ones by WADO-RS, analyse them with
 * `@btt/compute` (locally, or remotely after de-identification), store a TID 1500 SR back by
 * STOW-RS (with a DICOM SEG when the model outputs masks), and record and price the job.
 * Events: `studyComplete` (a study to analyse), `result`, `failure`.
 *
 * A study is identified by its instances: one already analysed with the same instances is
 * skipped, so restarting never analyses it twice. One study is processed at a time, whichever
 * way it came (poll or `ingest`), so concurrent arrivals cannot race. A study is charged once:
 * late instances make an update over the whole study, whose SR supersedes the current one and
 * which is not charged again. Instances the flow itself stored (its SRs and SEGs) are not new.
 *
 * @param options - the PACS, the job store, and how to analyse and price.
 * @returns `ingest`, `pollOnce`, `start`, `stop` and the event hooks.
 * @example
 * ```ts
 * import { createDicomwebClient, openJobStore, watchPacs } from '@btt/connectors'
 * const watcher = watchPacs({ pacs: createDicomwebClient({ url }), jobs: openJobStore('jobs.sqlite') })
 * watcher.onResult((e) => console.log(e.studyInstanceUid, e.findings))
 * await watcher.pollOnce()
 * ```
 */
export function watchPacs(options: PacsWatchOptions) {
  parseWithCode(
    optionsSchema,
    options,
    'PACS flow options',
    ConnectorsError,
    'CONNECTORS_INVALID_ARGUMENT',
  )
  const events = new EventEmitter()
  const context: FlowContext = {
    options,
    emit: (name, event) => events.emit(name, event),
  }
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let running: Promise<number> | undefined
  const queue = createStudyQueue()
  const fail = (study: string, error: unknown) =>
    events.emit('failure', {
      studyInstanceUid: study,
      instances: 0,
      update: false,
      error: toBttError(error),
    } satisfies FailureEvent)
  const on =
    <K extends keyof PacsEvents>(name: K) =>
    (fn: (e: PacsEvents[K]) => void) =>
      events.on(name, fn)
  return {
    /**
     * Analyses a study that arrived some other way (e.g. from `createStoreScp`): same job store
     * and same queue, so a study is never analysed or charged twice whichever way it came.
     * Resolves true if it was analysed.
     */
    ingest: (studyInstanceUid: string, files: readonly Uint8Array[]) =>
      queue.run(studyInstanceUid, () => processStudy(context, studyInstanceUid, files)),
    /** One pass over the PACS; resolves with the number of studies analysed. */
    pollOnce: () => {
      running ??= pollPass(context, queue, fail).finally(() => {
        running = undefined
      })
      return running
    },
    /** Polls every `intervalSeconds` until `stop()`. */
    start() {
      stopped = false
      const tick = async () => {
        try {
          await this.pollOnce()
        } catch (error) {
          fail('', error)
        }
        if (!stopped) timer = setTimeout(tick, (options.intervalSeconds ?? 30) * 1000)
      }
      void tick()
    },
    /** Stops polling; resolves when the running pass and every queued study have finished. */
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
      await queue.idle()
    },
    onStudyComplete: on('studyComplete') as (fn: (e: StudyEvent) => void) => EventEmitter,
    onResult: on('result') as (fn: (e: ResultEvent) => void) => EventEmitter,
    onFailure: on('failure') as (fn: (e: FailureEvent) => void) => EventEmitter,
  }
}

/**
 * One pass over the PACS: each study with images not yet analysed is retrieved and processed in
 * its study's queue; a study whose retrieval fails is a failure event and the pass goes on.
 */
async function pollPass(
  context: FlowContext,
  queue: ReturnType<typeof createStudyQueue>,
  fail: (study: string, error: unknown) => void,
): Promise<number> {
  const { options } = context
  let analysed = 0
  for await (const study of findNewStudies(options.pacs, options.jobs, options.query)) {
    const done = await queue
      .run(study, async () => {
        const files: Uint8Array[] = []
        for await (const f of options.pacs.retrieveStudy(study)) files.push(f)
        return processStudy(context, study, files)
      })
      .catch((error) => {
        fail(study, error)
        return false
      })
    if (done === true) analysed++
  }
  return analysed
}

import { toBttError } from '@btt/core'
import { naturalize } from '../results/part10.js'
import { analyseStudy } from './analyseStudy.js'
import type { JobRecord } from './jobStore.js'
import { priceJob } from './priceJob.js'
import { storeResults } from './storeResults.js'
import { studyInstances } from './studyInstances.js'
import { supersedeReport } from './supersedeReport.js'
import type { FlowContext, StudyEvent } from './types.js'

/**
 * One study through the flow: its images are analysed (unless this instance set was analysed
 * before), the SR and SEGs are stored back, and the job is recorded. The study's first successful
 * job charges it; a later one (late instances) is an update: its SR supersedes the current one
 * (Predecessor Documents, same series) and no second charge is made. Callers run one study at a
 * time (`watchPacs` does).
 *
 * @param context - the flow's options and events.
 * @param study - the Study Instance UID.
 * @param files - every file of the study (results stored earlier are left out).
 * @returns true when it was analysed and its result stored; false when skipped or failed.
 * @example
 * ```ts
 * await processStudy({ options: { pacs, jobs }, emit: () => {} }, study, files)
 * ```
 */
export async function processStudy(
  context: FlowContext,
  study: string,
  files: readonly Uint8Array[],
): Promise<boolean> {
  const { options, emit } = context
  const { sources, key } = studyInstances(files)
  if (!sources.length || options.jobs.done(study, key)) return false
  const previous = options.jobs.latestDone(study)
  const event: StudyEvent = {
    studyInstanceUid: study,
    instances: sources.length,
    update: !!previous,
  }
  emit('studyComplete', event)
  const job = { studyInstanceUid: study, instances: key, finishedAt: 0 }
  try {
    const made = await analyseStudy(study, key, sources, options)
    const sr = previous?.srSopInstanceUid
      ? supersedeReport(made.sr, {
          studyInstanceUid: study,
          seriesInstanceUid: previous.srSeriesInstanceUid ?? null,
          sopInstanceUid: previous.srSopInstanceUid,
          versions: options.jobs.versions(study),
        })
      : made.sr
    const stored = await storeResults(options.pacs, sr, made.segs)
    const { dataBytes, quote } = priceJob(
      options.pricing,
      made.result,
      [sources, [sr], made.segs].flat(),
    )
    const findings = made.result.images.reduce(
      (n, i) => n + i.findings.filter((f) => f.present).length,
      0,
    )
    const { charged } = options.jobs.record({
      ...job,
      status: 'done',
      srSopInstanceUid: stored.srUid,
      srSeriesInstanceUid: String(naturalize(sr).SeriesInstanceUID),
      supersedes: previous?.srSopInstanceUid ?? null,
      findings,
      inferenceMs: made.result.timings.inferenceMs,
      dataBytes,
      // an update is never charged; the store also refuses a second charge for the study
      charge: quote && !previous ? { currency: quote.currency, total: quote.total } : null,
      error: null,
      finishedAt: Date.now(),
    } satisfies JobRecord)
    emit('result', {
      ...event,
      srSopInstanceUid: stored.srUid,
      supersedes: previous?.srSopInstanceUid ?? null,
      segSopInstanceUids: stored.segUids,
      warnings: stored.warnings,
      charge: charged ? quote : null,
      findings,
      result: made.result,
    })
    return true
  } catch (error) {
    const e = toBttError(error)
    options.jobs.record({
      ...job,
      status: 'failed',
      srSopInstanceUid: null,
      findings: 0,
      inferenceMs: 0,
      dataBytes: 0,
      charge: null,
      error: e.shortMessage,
      finishedAt: Date.now(),
    })
    emit('failure', { ...event, error: e })
    return false
  }
}

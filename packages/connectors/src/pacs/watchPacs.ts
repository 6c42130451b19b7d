import { EventEmitter } from 'node:events'
import { type AnalysisResult, type AnalyzeOptions, analyze } from '@btt/compute'
import {
  type ComputePricing,
  defaultConfig,
  type QuoteComputeReturnType,
  quoteCompute,
  toBttError,
} from '@btt/core'
import { deidentify } from '../deid/deidentify.js'
import { reidentify } from '../deid/reidentify.js'
import type { PseudonymVault } from '../deid/vault.js'
import { type DicomwebClient, jsonValue } from '../dicomweb/createDicomwebClient.js'
import { ConnectorsError } from '../errors.js'
import { createMeasurementReport } from '../results/createMeasurementReport.js'
import { createSegmentations } from '../results/createSegmentations.js'
import { fileMeta } from '../results/part10.js'
import type { JobStore } from './jobStore.js'

export type PacsWatchOptions = {
  pacs: DicomwebClient
  jobs: JobStore
  /** How the study is analysed (model, backend …). */
  analyze?: Omit<AnalyzeOptions, never>
  /**
   * Remote compute: the study is de-identified with this vault before it leaves, and the SR is
   * re-identified before it goes back to the PACS. Local analysis (the default) needs none.
   */
  remote?: { vault: PseudonymVault; run?: (files: Uint8Array[]) => Promise<AnalysisResult> }
  /** QIDO query narrowing the studies watched, e.g. `{ ModalitiesInStudy: 'DX' }`. */
  query?: Record<string, string>
  /** Seconds between polls (`watch`); default 30. */
  intervalSeconds?: number
  /** Also store a DICOM SEG per series when the model outputs masks (default true). */
  segmentation?: boolean
  /**
   * The price schedule each done job is quoted with (`quoteCompute`: inference time as GPU time,
   * bytes in and out); the model's defaults (`defaultConfig.computePricing`) when omitted, `false`
   * to record no charge.
   */
  pricing?: ComputePricing | false
}

export type StudyEvent = { studyInstanceUid: string; instances: number }
export type ResultEvent = StudyEvent & {
  srSopInstanceUid: string
  /** The SEGs stored with the SR (none when the model has no mask output or found nothing). */
  segSopInstanceUids: string[]
  /** What went wrong without failing the job (a SEG the PACS refused). */
  warnings: string[]
  /** The job's quote, when priced. */
  charge: QuoteComputeReturnType | null
  findings: number
  result: AnalysisResult
}
export type FailureEvent = StudyEvent & { error: Error }

/**
 * The PACS flow: find studies by QIDO-RS, retrieve the new ones by WADO-RS, analyse them with
 * `@btt/compute` (locally, or remotely after de-identification), store a TID 1500 SR back by
 * STOW-RS (with a DICOM SEG when the model outputs masks), and record and price the job.
 * Events: `studyComplete` (a study to analyse), `result`, `failure`.
 *
 * A study is identified by its instances: one already analysed with the same instances is skipped,
 * so restarting never analyses it twice. Late instances (the study gained instances since it was
 * analysed) make it a new job over the whole study, whose SR supersedes nothing: both stay.
 * Instances the flow itself stored (its SRs and SEGs) are not counted as new.
 */
export function watchPacs(options: PacsWatchOptions) {
  const events = new EventEmitter()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined

  /** Analyses one study's files, stores the SR back and records the job; false if done before. */
  async function processStudy(study: string, files: readonly Uint8Array[]): Promise<boolean> {
    const metas = files.map((bytes) => ({ bytes, ...fileMeta(bytes) }))
    const images = metas.filter((m) => !isResultClass(m.sopClassUid))
    const sources = images.map((m) => m.bytes)
    if (!sources.length) return false
    const key = images
      .map((m) => m.sopInstanceUid)
      .sort()
      .join(',')
    if (options.jobs.done(study, key)) return false
    const event: StudyEvent = { studyInstanceUid: study, instances: sources.length }
    events.emit('studyComplete', event)
    try {
      let sr: Uint8Array
      let segs: Uint8Array[]
      let result: AnalysisResult
      // the same study, instances and model give the same result UIDs: a retry after a lost
      // STOW response replaces what the PACS already has instead of adding a second SR
      const idempotencyKey = (r: AnalysisResult) => `${study}|${key}|${r.model.sha256}`
      const encodeSr = (r: AnalysisResult, from: readonly Uint8Array[]) =>
        createMeasurementReport(r, { sources: from, idempotencyKey: idempotencyKey(r) })
      const encodeSegs = (r: AnalysisResult, from: readonly Uint8Array[]) =>
        options.segmentation === false
          ? []
          : createSegmentations(r, { sources: from, idempotencyKey: idempotencyKey(r) })
      if (options.remote) {
        const vault = options.remote.vault
        const deid = sources.map((f) => deidentify(f, { vault }).bytes)
        result = await (options.remote.run ?? ((fs) => analyze(fs, options.analyze)))(deid)
        const back = (bytes: Uint8Array) => reidentify(bytes, { vault }).bytes
        sr = back(encodeSr(result, deid))
        segs = encodeSegs(result, deid).map(back)
      } else {
        result = await analyze(
          sources.map((bytes, i) => ({ name: `${study}#${i}`, bytes })),
          options.analyze,
        )
        sr = encodeSr(result, sources)
        segs = encodeSegs(result, sources)
      }
      // the SR is the result: if the PACS refuses it, nothing was stored and the job is retried
      const srUid = fileMeta(sr).sopInstanceUid
      const { stored, failed } = await options.pacs.store([sr])
      if (failed.length || !stored.includes(srUid))
        throw new ConnectorsError('PACS_STORE_REFUSED', 'The PACS refused the SR.', {
          details: { failed },
        })
      // SEGs are extra (not every PACS takes the SOP class): a refusal is a warning, not a
      // failed job, so the study is not analysed again and its SR not stored twice
      const warnings: string[] = []
      const segUids: string[] = []
      if (segs.length) {
        try {
          const r = await options.pacs.store(segs)
          for (const seg of segs) {
            const uid = fileMeta(seg).sopInstanceUid
            if (r.stored.includes(uid)) segUids.push(uid)
            else warnings.push(`the PACS refused SEG ${uid}`)
          }
        } catch (error) {
          warnings.push(`storing the SEG failed: ${toBttError(error).shortMessage}`)
        }
      }
      const dataBytes =
        sources.reduce((n, f) => n + f.length, 0) +
        sr.length +
        segs.reduce((n, f) => n + f.length, 0)
      const pricing = options.pricing ?? defaultConfig.computePricing
      const charge = pricing
        ? quoteCompute(pricing, {
            gpuSeconds: result.timings.inferenceMs / 1000,
            dataBytes: BigInt(dataBytes),
          })
        : null
      const findings = result.images.reduce(
        (n, i) => n + i.findings.filter((f) => f.present).length,
        0,
      )
      options.jobs.record({
        studyInstanceUid: study,
        instances: key,
        status: 'done',
        srSopInstanceUid: srUid,
        findings,
        inferenceMs: result.timings.inferenceMs,
        dataBytes,
        charge: charge && { currency: charge.currency, total: charge.total },
        error: null,
        finishedAt: Date.now(),
      })
      events.emit('result', {
        ...event,
        srSopInstanceUid: srUid,
        segSopInstanceUids: segUids,
        warnings,
        charge,
        findings,
        result,
      } satisfies ResultEvent)
      return true
    } catch (error) {
      const e = toBttError(error)
      options.jobs.record({
        studyInstanceUid: study,
        instances: key,
        status: 'failed',
        srSopInstanceUid: null,
        findings: 0,
        inferenceMs: 0,
        dataBytes: 0,
        charge: null,
        error: e.shortMessage,
        finishedAt: Date.now(),
      })
      events.emit('failure', { ...event, error: e } satisfies FailureEvent)
      return false
    }
  }

  async function pollOnce(): Promise<number> {
    let analysed = 0
    const studies = await options.pacs.searchStudies(options.query)
    for (const s of studies) {
      const study = String(jsonValue(s, '0020000D'))
      // cheap check first: skip studies whose instances were all analysed, without retrieving them
      const listed = (await options.pacs.searchInstances(study)).filter(
        (i) =>
          !isResultClass(String(jsonValue(i, '00080016') ?? '')) &&
          !['SR', 'SEG'].includes(String(jsonValue(i, '00080060'))),
      )
      if (!listed.length) continue
      const key = listed
        .map((i) => String(jsonValue(i, '00080018')))
        .sort()
        .join(',')
      if (options.jobs.done(study, key)) continue
      const files: Uint8Array[] = []
      for await (const f of options.pacs.retrieveStudy(study)) files.push(f)
      if (await processStudy(study, files)) analysed++
    }
    return analysed
  }

  return {
    /**
     * Analyses a study that arrived some other way (e.g. from `createStoreScp`): same job store,
     * so a study is never analysed twice whichever way it came. Resolves true if it was analysed.
     */
    ingest: (studyInstanceUid: string, files: readonly Uint8Array[]) =>
      processStudy(studyInstanceUid, files),
    /** One pass over the PACS; resolves with the number of studies analysed. */
    pollOnce: () => {
      running ??= pollOnce().finally(() => {
        running = undefined
      })
      return running
    },
    /** Polls every `intervalSeconds` until `stop()`. */
    start() {
      const tick = async () => {
        try {
          await this.pollOnce()
        } catch (error) {
          events.emit('failure', { studyInstanceUid: '', instances: 0, error: toBttError(error) })
        }
        timer = setTimeout(tick, (options.intervalSeconds ?? 30) * 1000)
      }
      void tick()
    },
    async stop() {
      if (timer) clearTimeout(timer)
      await running
    },
    onStudyComplete: (fn: (e: StudyEvent) => void) => events.on('studyComplete', fn),
    onResult: (fn: (e: ResultEvent) => void) => events.on('result', fn),
    onFailure: (fn: (e: FailureEvent) => void) => events.on('failure', fn),
  }
}

/** Structured reports (…88.x) and segmentations, registrations, fiducials (…66.x): not images. */
const isResultClass = (sopClassUid: string) =>
  sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.88.') ||
  sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.66')

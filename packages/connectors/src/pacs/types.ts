import type { AnalysisResult, AnalyzeOptions } from '@btt/compute'
import type { ComputePricing, QuoteComputeReturnType } from '@btt/core'
import type { PseudonymVault } from '../deid/vault.js'
import type { DicomwebClient } from '../dicomweb/createDicomwebClient.js'
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
   * The price schedule a study's first successful job is quoted with (`quoteCompute`: inference
   * time as GPU time, bytes in and out); the model's defaults (`defaultConfig.computePricing`)
   * when omitted, `false` to record no charge. A study is charged once (see `openJobStore`).
   */
  pricing?: ComputePricing | false
}

export type StudyEvent = {
  studyInstanceUid: string
  instances: number
  /** The study had a result already: this job updates it (late instances) and is not charged. */
  update: boolean
}
export type ResultEvent = StudyEvent & {
  srSopInstanceUid: string
  /** The SR this one supersedes (an update), or null. */
  supersedes: string | null
  /** The SEGs stored with the SR (none when the model has no mask output or found nothing). */
  segSopInstanceUids: string[]
  /** What went wrong without failing the job (a SEG the PACS refused). */
  warnings: string[]
  /** The study's charge, when this job made it (never for an update). */
  charge: QuoteComputeReturnType | null
  findings: number
  result: AnalysisResult
}
export type FailureEvent = StudyEvent & { error: Error }

/** The events the flow emits, by name. */
export type PacsEvents = {
  studyComplete: StudyEvent
  result: ResultEvent
  failure: FailureEvent
}

/** What each step of the flow is given: the options and how to tell the caller. */
export type FlowContext = {
  options: PacsWatchOptions
  emit: <K extends keyof PacsEvents>(name: K, event: PacsEvents[K]) => void
}

import type { BackendRequest } from '../backends/selectBackend.js'
import type { LoadedModel } from '../model/loadModel.js'

/** A study: a file or folder path, one file's bytes, or a list of paths / bytes / named bytes. */
export type StudyInput =
  | string
  | Uint8Array
  | readonly (string | Uint8Array | { name: string; bytes: Uint8Array })[]

export type AnalyzeOptions = {
  /** A loaded model, or the path of its manifest; the demo model when omitted. */
  model?: LoadedModel | string
  backend?: BackendRequest
  /** Frames per inference batch (default 8, capped by the model). */
  batchSize?: number
  intraOpThreads?: number
  /**
   * Also keep each mask's per-pixel probabilities (`mask.probabilities`, 0–255), e.g. for a
   * FRACTIONAL DICOM SEG; off by default (it costs a byte per source pixel per finding).
   */
  maskProbabilities?: boolean
  /** With `backend: 'remote'`: the coordinator's URL and the clinic's API key. */
  coordinator?: import('../network/remoteModel.js').CoordinatorAccess
}

export type Box = { x: number; y: number; width: number; height: number }

/**
 * A finding's outline at the source image's size (nearest-neighbour from the model's grid): one
 * byte per pixel, row by row, 1 inside and 0 outside. `area` is the number of pixels inside.
 */
export type Mask = {
  rows: number
  columns: number
  /**
   * One byte per source pixel, 1 inside. Built from the model's grid when first read, then kept
   * (an own enumerable property: JSON, spreading and `structuredClone` read it; assigning
   * replaces it), so a caller that never reads it never pays for it.
   */
  pixels: Uint8Array
  area: number
  /**
   * The activated output per pixel, 0–1 scaled to 0–255, at the source size (nearest neighbour);
   * only with `analyze(…, { maskProbabilities: true })`.
   */
  probabilities?: Uint8Array
}

type Code = { system: string; code: string; display: string }

export type Finding = {
  label: string
  probability: number
  present: boolean
  /** In the source image's pixel coordinates (columns, rows). */
  box?: Box
  /** Present findings of a model with a `mask` output (`segmentWith`); absent when it is empty. */
  mask?: Mask
  code?: Code
  /** Segmented property category (DICOM CID 7150), for SEG. */
  category?: Code
}

export type ImageResult = {
  file: string
  studyInstanceUid: string
  seriesInstanceUid: string
  sopInstanceUid: string
  sopClassUid: string
  frame: number
  rows: number
  columns: number
  findings: Finding[]
}

/** An item that could not be analysed: the file (or path) and the coded error. */
export type AnalysisFailure = {
  file: string
  error: {
    /** The error class's name (e.g. `ComputeError`). */
    name: string
    /** The error's code (e.g. `COMPUTE_UNREADABLE_DICOM`). */
    code: string
    message: string
    details?: Readonly<Record<string, unknown>>
  }
}

export type AnalysisTimings = {
  decodeMs: number
  preprocessMs: number
  inferenceMs: number
  totalMs: number
}

export type AnalysisResult = {
  model: { id: string; name: string; version: string; sha256: string; intendedUse: string }
  backend: { name: string; reason: string }
  studyInstanceUids: string[]
  images: ImageResult[]
  /** Items that could not be analysed, each with its coded error. */
  failures: AnalysisFailure[]
  timings: AnalysisTimings
  /** With `backend: 'remote'`: the verified receipt of each batch. */
  receipts?: import('../network/remoteModel.js').RemoteReceipt[]
}

/** One channel of one image of a model output `[N, C, H, W]`, and how to activate it. */
export type OutputChannel = {
  data: Float32Array
  dims: readonly number[]
  /** The image's index in the batch (N). */
  index: number
  /** The channel (C). */
  channel: number
  activation: 'sigmoid' | 'softmax' | 'none'
}

/** Model outputs of one batch, by name. */
export type Outputs = Record<string, { data: unknown; dims: readonly number[] }>

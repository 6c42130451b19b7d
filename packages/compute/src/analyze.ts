import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { toBttError } from '@btt/core'
import type { BackendRequest } from './backends/selectBackend.js'
import { ort } from './backends/selectBackend.js'
import { type DecodedImage, decodeDicom } from './dicom/decodeDicom.js'
import { WrongModalityError } from './errors.js'
import { demoModelManifestPath } from './model/demoModel.js'
import { type LoadedModel, loadModel } from './model/loadModel.js'
import { inputGeometry, preprocessFrame } from './preprocess/preprocessFrame.js'

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
}

export type Box = { x: number; y: number; width: number; height: number }

/**
 * A finding's outline at the source image's size (nearest-neighbour from the model's grid): one
 * byte per pixel, row by row, 1 inside and 0 outside. `area` is the number of pixels inside.
 */
export type Mask = {
  rows: number
  columns: number
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

export type AnalysisResult = {
  model: { id: string; name: string; version: string; sha256: string; intendedUse: string }
  backend: { name: string; reason: string }
  studyInstanceUids: string[]
  images: ImageResult[]
  /** Items that could not be analysed, with the typed error's name and message. */
  failures: { file: string; error: { name: string; message: string } }[]
  timings: { decodeMs: number; preprocessMs: number; inferenceMs: number; totalMs: number }
}

/**
 * Analyses a study with an ONNX model: decodes each DICOM file (native or compressed), checks its
 * modality and body part against the manifest, preprocesses every frame into batched tensors,
 * runs the model, and turns its outputs into findings. A file that fails (corrupt, no pixels,
 * unsupported syntax, wrong modality) is reported in `failures`; the rest of the batch goes on.
 * Preprocessing of the next batch overlaps inference of the current one.
 *
 * @param study - paths, folders or bytes.
 * @param options - `{ model?, backend?, batchSize?, intraOpThreads? }`.
 * @returns findings per image, the model's identity and hash, the backend and timings.
 * @example
 * ```ts
 * import { analyze } from '@btt/compute'
 * const result = await analyze('study-folder/', { backend: 'auto' })
 * for (const image of result.images) console.log(image.findings)
 * ```
 */
export async function analyze(
  study: StudyInput,
  options: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  const t0 = performance.now()
  const model =
    typeof options.model === 'object'
      ? options.model
      : await loadModel(options.model ?? demoModelManifestPath(), {
          ...(options.backend ? { backend: options.backend } : {}),
          ...(options.intraOpThreads ? { intraOpThreads: options.intraOpThreads } : {}),
        })
  const m = model.manifest
  const failures: AnalysisResult['failures'] = []
  const timings = { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, totalMs: 0 }

  // decode every item; failures are recorded and skipped
  const images: DecodedImage[] = []
  for (const item of listItems(study, failures)) {
    const td = performance.now()
    try {
      const bytes = typeof item.bytes === 'function' ? item.bytes() : item.bytes
      const image = await decodeDicom(bytes, item.name)
      if (!m.modalities.includes(image.modality))
        throw new WrongModalityError(item.name, image.modality || '(none)', m.modalities)
      if (m.bodyParts && image.bodyPart && !m.bodyParts.includes(image.bodyPart.toUpperCase()))
        throw new WrongModalityError(item.name, image.bodyPart, m.bodyParts, 'body part')
      images.push(image)
    } catch (error) {
      const e = toBttError(error)
      failures.push({ file: item.name, error: { name: e.name, message: e.shortMessage } })
    } finally {
      timings.decodeMs += performance.now() - td
    }
  }

  const frames = images.flatMap((image) => image.frames.map((_, frame) => ({ image, frame })))
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 8, model.maxBatch))
  const { channels, height, width } = inputGeometry(m)
  const size = channels * height * width
  const dims = m.input.layout === 'NCHW' ? [channels, height, width] : [height, width, channels]
  const results: ImageResult[] = []

  const prepare = (start: number) => {
    const tp = performance.now()
    const batch = frames.slice(start, start + batchSize)
    const data = new Float32Array(batch.length * size)
    for (const [index, f] of batch.entries()) preprocessFrame(f.image, f.frame, m, { data, index })
    timings.preprocessMs += performance.now() - tp
    return { batch, tensor: new (ort().Tensor)('float32', data, [batch.length, ...dims]) }
  }
  let next = frames.length ? prepare(0) : undefined
  for (let start = 0; next; start += batchSize) {
    const current = next
    const ti = performance.now()
    const running = model.session.run({ [m.input.name]: current.tensor })
    // overlap: preprocess the next batch while this one runs on onnxruntime's threads
    next = start + batchSize < frames.length ? prepare(start + batchSize) : undefined
    const outputs = await running
    timings.inferenceMs += performance.now() - ti
    current.batch.forEach((f, i) => {
      results.push({
        file: f.image.file,
        studyInstanceUid: f.image.studyInstanceUid,
        seriesInstanceUid: f.image.seriesInstanceUid,
        sopInstanceUid: f.image.sopInstanceUid,
        sopClassUid: f.image.sopClassUid,
        frame: f.frame,
        rows: f.image.rows,
        columns: f.image.columns,
        findings: findingsFor(model, outputs, i, f.image, options.maskProbabilities ?? false),
      })
    })
  }
  timings.totalMs = performance.now() - t0
  return {
    model: {
      id: m.id,
      name: m.name,
      version: m.version,
      sha256: model.sha256,
      intendedUse: m.intendedUse,
    },
    backend: { name: model.backend.backend, reason: model.backend.reason },
    studyInstanceUids: [...new Set(images.map((i) => i.studyInstanceUid))],
    images: results,
    failures,
    timings,
  }
}

type Item = { name: string; bytes: Uint8Array | (() => Uint8Array) }

function listItems(study: StudyInput, failures: AnalysisResult['failures']): Item[] {
  const fromPath = (path: string): Item[] => {
    try {
      if (statSync(path).isDirectory())
        return readdirSync(path)
          .sort()
          .filter((n) => !n.startsWith('.'))
          .flatMap((n) => fromPath(join(path, n)))
      return [{ name: path, bytes: () => new Uint8Array(readFileSync(path)) }]
    } catch (error) {
      failures.push({ file: path, error: { name: 'FileError', message: (error as Error).message } })
      return []
    }
  }
  if (typeof study === 'string') return fromPath(study)
  if (study instanceof Uint8Array) return [{ name: '(buffer)', bytes: study }]
  return study.flatMap((item, i) =>
    typeof item === 'string'
      ? fromPath(item)
      : item instanceof Uint8Array
        ? [{ name: `(buffer ${i})`, bytes: item }]
        : [item],
  )
}

type Outputs = Record<string, { data: unknown; dims: readonly number[] }>

function findingsFor(
  model: LoadedModel,
  outputs: Outputs,
  index: number,
  image: DecodedImage,
  withProbabilities: boolean,
): Finding[] {
  const m = model.manifest
  return m.findings.map((f) => {
    const spec = m.outputs.find((o) => o.name === f.output)!
    const out = outputs[f.output]!
    const classes = out.dims.at(-1) ?? 1
    const data = out.data as Float32Array
    const row = data.subarray(index * classes, (index + 1) * classes)
    const probabilities = activate(row, spec.activation)
    const probability = probabilities[spec.labels!.indexOf(f.label)]!
    const present = probability >= f.threshold
    const finding: Finding = {
      label: f.label,
      probability,
      present,
      ...(f.code ? { code: f.code } : {}),
      ...(f.category ? { category: f.category } : {}),
    }
    if (present && f.locateWith) {
      const heat = outputs[f.locateWith]!
      finding.box = boxFromHeatmap(
        heat.data as Float32Array,
        heat.dims,
        index,
        image.columns,
        image.rows,
      )
    }
    if (present && f.segmentWith) {
      const spec = m.outputs.find((o) => o.name === f.segmentWith)!
      const out = outputs[f.segmentWith]!
      const channel: OutputChannel = {
        data: out.data as Float32Array,
        dims: out.dims,
        index,
        channel: spec.labels!.indexOf(f.label),
        activation: spec.activation,
      }
      const mask = maskFromOutput(channel, spec.threshold ?? 0.5, image)
      if (mask.area > 0) {
        if (withProbabilities) mask.probabilities = probabilitiesFromOutput(channel, image)
        finding.mask = mask
      }
    }
    return finding
  })
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

/**
 * One channel of a `mask` output [N, C, H, W] as a binary mask at the source size: the channel is
 * activated (sigmoid per pixel; softmax across channels per pixel), thresholded on the model's
 * grid, then scaled up by nearest neighbour (pixel centres).
 */
export function maskFromOutput(
  { data, dims, index, channel, activation }: OutputChannel,
  threshold: number,
  { columns, rows }: { columns: number; rows: number },
): Mask {
  const { channels, h, w, plane, base } = layoutOf(dims, index)
  const values = data.subarray(base + channel * plane, base + (channel + 1) * plane)
  const inside = new Uint8Array(plane)
  if (activation === 'softmax') {
    for (let p = 0; p < plane; p++)
      inside[p] = softmaxAt(data, base, plane, channels, channel, p) >= threshold ? 1 : 0
  } else {
    // the sigmoid is monotone: compare logits with logit(threshold), no exp per pixel
    const cut =
      activation === 'sigmoid'
        ? threshold <= 0
          ? -Infinity
          : threshold >= 1
            ? Infinity
            : Math.log(threshold / (1 - threshold))
        : threshold
    for (let p = 0; p < plane; p++) inside[p] = values[p]! >= cut ? 1 : 0
  }
  const pixels = upscaleNearest(inside, h, w, rows, columns)
  // area from the grid: a grid pixel covers (output rows on its row) × (output columns on its column)
  const colCount = new Uint32Array(w)
  for (let c = 0; c < columns; c++) colCount[nearest(c, w, columns)]!++
  const rowCount = new Uint32Array(h)
  for (let r = 0; r < rows; r++) rowCount[nearest(r, h, rows)]!++
  let area = 0
  for (let y = 0; y < h; y++) {
    if (!rowCount[y]) continue
    let covered = 0
    for (let x = 0; x < w; x++) if (inside[y * w + x]) covered += colCount[x]!
    area += covered * rowCount[y]!
  }
  return { rows, columns, pixels, area }
}

function activate(values: Float32Array, activation: 'sigmoid' | 'softmax' | 'none'): number[] {
  const v = Array.from(values)
  if (activation === 'sigmoid') return v.map((x) => 1 / (1 + Math.exp(-x)))
  if (activation === 'softmax') {
    const max = Math.max(...v)
    const e = v.map((x) => Math.exp(x - max))
    const sum = e.reduce((a, b) => a + b, 0)
    return e.map((x) => x / sum)
  }
  return v
}

/**
 * One channel of a `mask` output as probabilities at the source size: activated per pixel (sigmoid;
 * softmax across channels; `none` taken as is), clamped to 0–1 and scaled to 0–255, then scaled up
 * by nearest neighbour like {@link maskFromOutput}.
 */
export function probabilitiesFromOutput(
  { data, dims, index, channel, activation }: OutputChannel,
  { columns, rows }: { columns: number; rows: number },
): Uint8Array {
  const { channels, h, w, plane, base } = layoutOf(dims, index)
  const grid = new Uint8Array(plane)
  for (let p = 0; p < plane; p++) {
    const x = data[base + channel * plane + p]!
    const v =
      activation === 'sigmoid'
        ? 1 / (1 + Math.exp(-x))
        : activation === 'softmax'
          ? softmaxAt(data, base, plane, channels, channel, p)
          : x
    grid[p] = Math.round(Math.min(1, Math.max(0, v)) * 255)
  }
  return upscaleNearest(grid, h, w, rows, columns)
}

/** An [N, C, H, W] output's sizes, and where image `index` starts in its data. */
function layoutOf(dims: readonly number[], index: number) {
  const channels = dims[1]!
  const h = dims[2]!
  const w = dims[3]!
  const plane = h * w
  return { channels, h, w, plane, base: index * channels * plane }
}

/** The grid index (of `size`) whose cell holds the centre of output index `i` (of `count`). */
const nearest = (i: number, size: number, count: number) =>
  Math.min(size - 1, Math.floor(((i + 0.5) * size) / count))

/** Softmax across the channels of pixel `p`, for `channel`. */
function softmaxAt(
  data: Float32Array,
  base: number,
  plane: number,
  channels: number,
  channel: number,
  p: number,
): number {
  let max = Number.NEGATIVE_INFINITY
  for (let c = 0; c < channels; c++) max = Math.max(max, data[base + c * plane + p]!)
  let sum = 0
  for (let c = 0; c < channels; c++) sum += Math.exp(data[base + c * plane + p]! - max)
  return Math.exp(data[base + channel * plane + p]! - max) / sum
}

/**
 * A grid of h×w bytes scaled to rows×columns by nearest neighbour at pixel centres; output rows
 * that fall on the same grid row are copied, not recomputed.
 */
function upscaleNearest(
  grid: Uint8Array,
  h: number,
  w: number,
  rows: number,
  columns: number,
): Uint8Array {
  const colMap = Int32Array.from({ length: columns }, (_, c) => nearest(c, w, columns))
  const out = new Uint8Array(rows * columns)
  let previous = -1
  for (let r = 0; r < rows; r++) {
    const src = nearest(r, h, rows)
    const dst = r * columns
    if (src === previous) out.copyWithin(dst, dst - columns, dst)
    else {
      const from = src * w
      for (let c = 0; c < columns; c++) out[dst + c] = grid[from + colMap[c]!]!
      previous = src
    }
  }
  return out
}

/** The box around the heatmap's peak where it stays above half the peak, in source pixels. */
export function boxFromHeatmap(
  data: Float32Array,
  dims: readonly number[],
  index: number,
  columns: number,
  rows: number,
): Box {
  const h = dims[2]!
  const w = dims[3]!
  const plane = data.subarray(index * dims[1]! * h * w, index * dims[1]! * h * w + h * w)
  let peak = 0
  for (let i = 1; i < plane.length; i++) if (plane[i]! > plane[peak]!) peak = i
  const py = Math.floor(peak / w)
  const px = peak % w
  const half = plane[peak]! / 2
  let x0 = px
  let x1 = px
  let y0 = py
  let y1 = py
  while (x0 > 0 && plane[py * w + x0 - 1]! >= half) x0--
  while (x1 < w - 1 && plane[py * w + x1 + 1]! >= half) x1++
  while (y0 > 0 && plane[(y0 - 1) * w + px]! >= half) y0--
  while (y1 < h - 1 && plane[(y1 + 1) * w + px]! >= half) y1++
  const sx = columns / w
  const sy = rows / h
  return {
    x: Math.round(x0 * sx),
    y: Math.round(y0 * sy),
    width: Math.round((x1 - x0 + 1) * sx),
    height: Math.round((y1 - y0 + 1) * sy),
  }
}

import { z } from 'zod'
import { parseArgs } from '../validate.js'
import { layoutOf, nearest, rowMaxima, softmaxAt, upscaleNearest } from './grid.js'
import { outputChannelSchema, sizeSchema } from './schemas.js'
import type { Mask, OutputChannel } from './types.js'

const argsSchema = z.tuple([outputChannelSchema, z.number().finite(), sizeSchema])

/**
 * One channel of a `mask` output [N, C, H, W] as a binary mask at the source size: the channel is
 * activated (sigmoid per pixel; softmax across channels per pixel), thresholded on the model's
 * grid, then scaled up by nearest neighbour (pixel centres).
 *
 * @param output - the output's data and dims, the image's index, the channel and its activation.
 * @param threshold - inside when the activated value is ≥ this.
 * @param size - the source image's `{ rows, columns }`.
 * @returns the mask at the source size, with its area in source pixels.
 * @throws {ComputeError} `COMPUTE_INVALID_ARGUMENT`.
 * @example
 * ```ts
 * import { maskFromOutput } from '@btt/compute'
 * const data = Float32Array.from([5, -5, -5, -5]) // logits of a 2×2 grid
 * const mask = maskFromOutput({ data, dims: [1, 1, 2, 2], index: 0, channel: 0, activation: 'sigmoid' }, 0.5, { rows: 4, columns: 4 })
 * console.log(mask.area) // 4
 * ```
 */
export function maskFromOutput(
  output: OutputChannel,
  threshold: number,
  size: { columns: number; rows: number },
): Mask {
  parseArgs(argsSchema, [output, threshold, size], 'maskFromOutput arguments')
  return maskOnGrid(output, threshold, size)
}

let insideScratch = new Uint8Array(0)
let rowsScratch = new Uint8Array(0)
let countScratch = new Uint32Array(0)

/** {@link maskFromOutput} without the argument check, for callers that built the arguments. */
export function maskOnGrid(
  { data, dims, index, channel, activation }: OutputChannel,
  threshold: number,
  { rows, columns }: { columns: number; rows: number },
): Mask {
  const { channels, h, w, plane, base } = layoutOf(dims, index)
  // the grid and its row flags do not leave this call: reused scratch
  if (insideScratch.length < plane) insideScratch = new Uint8Array(plane)
  if (rowsScratch.length < h) rowsScratch = new Uint8Array(h)
  const inside = insideScratch.subarray(0, plane)
  const nonZeroRows = rowsScratch.subarray(0, h)
  if (activation === 'softmax') {
    inside.fill(0)
    nonZeroRows.fill(0)
    for (let p = 0; p < plane; p++)
      if (softmaxAt(data, base, plane, channels, channel, p) >= threshold) {
        inside[p] = 1
        nonZeroRows[Math.floor(p / w)] = 1
      }
  } else {
    // the sigmoid is monotone: compare logits with logit(threshold), no exp per pixel
    const cut = activation === 'sigmoid' ? logit(threshold) : threshold
    // only the rows flagged in nonZeroRows are read (here, by upscaleNearest and areaOf)
    thresholdRows(data, base + channel * plane, h, w, cut, inside, nonZeroRows)
  }
  const area = areaOf(inside, nonZeroRows, h, w, rows, columns)
  const kept = keptRows(inside, nonZeroRows, h, w)
  return lazyPixels(rows, columns, area, () => {
    // the grid again from its kept rows (the scratch is free again: this runs synchronously)
    if (insideScratch.length < plane) insideScratch = new Uint8Array(plane)
    const grid = insideScratch.subarray(0, plane)
    for (let y = 0, k = 0; y < h; y++)
      if (kept.flags[y]) grid.set(kept.rows.subarray(k * w, ++k * w), y * w)
    return upscaleNearest(grid, h, w, rows, columns, kept.flags)
  })
}

/** The grid rows that hold a pixel inside (a mask is mostly empty rows), and their flags. */
function keptRows(inside: Uint8Array, nonZeroRows: Uint8Array, h: number, w: number) {
  let count = 0
  for (let y = 0; y < h; y++) count += nonZeroRows[y]!
  const rows = new Uint8Array(count * w)
  for (let y = 0, k = 0; y < h; y++)
    if (nonZeroRows[y]) rows.set(inside.subarray(y * w, (y + 1) * w), k++ * w)
  return { flags: nonZeroRows.slice(0, h), rows }
}

/**
 * A {@link Mask} whose `pixels` (rows × columns bytes) are built from the grid when first read,
 * then kept: a caller that uses only the area, the box or the probability (a CDS card) never pays
 * for a full-size mask, and a batch holds each mask's few grid rows, not a megabyte per image.
 * `pixels` is an own enumerable property like any other: JSON, spreading and `structuredClone`
 * read it (and so build it); assigning it replaces it.
 */
function lazyPixels(rows: number, columns: number, area: number, build: () => Uint8Array): Mask {
  let pixels: Uint8Array | undefined
  const mask = { rows, columns } as Mask
  Object.defineProperty(mask, 'pixels', {
    enumerable: true,
    configurable: true,
    get: () => {
      pixels ??= build()
      return pixels
    },
    set: (value: Uint8Array) => {
      pixels = value
    },
  })
  mask.area = area
  return mask
}

/**
 * inside = value ≥ cut for the rows of an h×w plane at `from` that reach the cut (each row's
 * maximum first: a mask is mostly empty rows); nonZeroRows flags them.
 * Rows not flagged are left as they were.
 */
function thresholdRows(
  data: Float32Array,
  from: number,
  h: number,
  w: number,
  cut: number,
  inside: Uint8Array,
  nonZeroRows: Uint8Array,
): void {
  const maxima = rowMaxima(data, from, h, w)
  for (let y = 0; y < h; y++) {
    const o = from + y * w
    const any = maxima[y]! >= cut
    nonZeroRows[y] = any ? 1 : 0
    if (any) for (let i = 0, p = o; i < w; i++, p++) inside[y * w + i] = data[p]! >= cut ? 1 : 0
  }
}

function logit(threshold: number): number {
  if (threshold <= 0) return Number.NEGATIVE_INFINITY
  if (threshold >= 1) return Number.POSITIVE_INFINITY
  return Math.log(threshold / (1 - threshold))
}

/** Source pixels inside: a grid pixel covers (output rows on its row) × (output columns on its column). */
function areaOf(
  inside: Uint8Array,
  nonZeroRows: Uint8Array,
  h: number,
  w: number,
  rows: number,
  columns: number,
): number {
  if (countScratch.length < w + h) countScratch = new Uint32Array(w + h)
  const colCount = countScratch.subarray(0, w).fill(0)
  for (let c = 0; c < columns; c++) colCount[nearest(c, w, columns)]!++
  const rowCount = countScratch.subarray(w, w + h).fill(0)
  for (let r = 0; r < rows; r++) rowCount[nearest(r, h, rows)]!++
  let area = 0
  for (let y = 0; y < h; y++) {
    if (!rowCount[y] || !nonZeroRows[y]) continue
    let covered = 0
    for (let x = 0; x < w; x++) if (inside[y * w + x]) covered += colCount[x]!
    area += covered * rowCount[y]!
  }
  return area
}

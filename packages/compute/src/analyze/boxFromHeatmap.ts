import { z } from 'zod'
import { parseArgs } from '../validate.js'
import { rowMaxima } from './grid.js'
import type { Box } from './types.js'

const count = z.number().int().min(1)
const argsSchema = z
  .tuple([
    z.instanceof(Float32Array),
    z.array(count).length(4),
    z.number().int().min(0),
    count,
    count,
  ])
  .refine(
    ([data, dims, index]) => index < dims[0]! && data.length >= dims.reduce((a, b) => a * b, 1),
    {
      message: 'index must be inside dims and data as long as dims',
    },
  )

/**
 * The box around the heatmap's peak where it stays above half the peak, in source pixels.
 *
 * @param data - the heatmap output [N, C, H, W] (channel 0 is used).
 * @param dims - its dims.
 * @param index - the image's index in the batch.
 * @param columns - the source image's columns.
 * @param rows - the source image's rows.
 * @returns `{ x, y, width, height }` in source pixels.
 * @throws {ComputeError} `COMPUTE_INVALID_ARGUMENT`.
 * @example
 * ```ts
 * import { boxFromHeatmap } from '@btt/compute'
 * boxFromHeatmap(Float32Array.from([0, 0, 0, 1]), [1, 1, 2, 2], 0, 4, 4) // { x: 2, y: 2, width: 2, height: 2 }
 * ```
 */
export function boxFromHeatmap(
  data: Float32Array,
  dims: readonly number[],
  index: number,
  columns: number,
  rows: number,
): Box {
  parseArgs(argsSchema, [data, dims, index, columns, rows], 'boxFromHeatmap arguments')
  return boxOnGrid(data, dims, index, columns, rows)
}

/** {@link boxFromHeatmap} without the argument check, for callers that built the arguments. */
export function boxOnGrid(
  data: Float32Array,
  dims: readonly number[],
  index: number,
  columns: number,
  rows: number,
): Box {
  const h = dims[2]!
  const w = dims[3]!
  const start = index * dims[1]! * h * w
  const plane = data.subarray(start, start + h * w)
  const peak = peakOf(plane, h, w)
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

/**
 * The index of the first largest value of a plane (row by row: each row's maximum, then the
 * first index of the best row), as the plain scan finds it: NaN is
 * skipped, unless it comes first (then index 0).
 */
function peakOf(plane: Float32Array, h: number, w: number): number {
  if (Number.isNaN(plane[0])) return 0
  let top = Number.NEGATIVE_INFINITY
  let row = 0
  const maxima = rowMaxima(plane, 0, h, w)
  for (let y = 0; y < h; y++) {
    const m = maxima[y]!
    if (m > top) {
      top = m
      row = y
    }
  }
  for (let i = row * w, end = i + w; i < end; i++) if (plane[i] === top) return i
  return row * w
}

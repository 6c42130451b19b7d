import { z } from 'zod'
import { parseArgs } from '../validate.js'
import { layoutOf, softmaxAt, upscaleNearest } from './grid.js'
import { outputChannelSchema, sizeSchema } from './schemas.js'
import type { OutputChannel } from './types.js'

const argsSchema = z.tuple([outputChannelSchema, sizeSchema])

/**
 * One channel of a `mask` output as probabilities at the source size: activated per pixel (sigmoid;
 * softmax across channels; `none` taken as is), clamped to 0–1 and scaled to 0–255, then scaled up
 * by nearest neighbour like {@link maskFromOutput}.
 *
 * @param output - the output's data and dims, the image's index, the channel and its activation.
 * @param size - the source image's `{ rows, columns }`.
 * @returns one byte per source pixel.
 * @throws {ComputeError} `COMPUTE_INVALID_ARGUMENT`.
 * @example
 * ```ts
 * import { probabilitiesFromOutput } from '@btt/compute'
 * const data = Float32Array.from([0, 0, 0, 0])
 * probabilitiesFromOutput({ data, dims: [1, 1, 2, 2], index: 0, channel: 0, activation: 'sigmoid' }, { rows: 2, columns: 2 }) // [128, 128, 128, 128]
 * ```
 */
export function probabilitiesFromOutput(
  output: OutputChannel,
  size: { columns: number; rows: number },
): Uint8Array {
  parseArgs(argsSchema, [output, size], 'probabilitiesFromOutput arguments')
  return probabilitiesOnGrid(output, size)
}

/** {@link probabilitiesFromOutput} without the argument check, for callers that built the arguments. */
export function probabilitiesOnGrid(
  { data, dims, index, channel, activation }: OutputChannel,
  size: { columns: number; rows: number },
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
  return upscaleNearest(grid, h, w, size.rows, size.columns)
}

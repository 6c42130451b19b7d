import { z } from 'zod'
import { parseArgs } from '../../validate.js'
import { buildFileMeta } from './buildFileMeta.js'
import { readFileMeta } from './readFileMeta.js'
import { ReadFailure, unreadableAt } from './unreadableAt.js'
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN } from './vr.js'
import { walkDataset } from './walkDataset.js'

const argsSchema = z.tuple([z.instanceof(Uint8Array), z.string()])

/** The most an inflated dataset may hold (a deflate bomb is refused, not allocated). */
export const MAX_INFLATED_BYTES = 1 << 30

export type InflatePart10ErrorType = import('../../errors.js').ComputeError

/**
 * A Deflated Explicit VR Little Endian file (`1.2.840.10008.1.2.1.99`) as Explicit VR Little
 * Endian: the dataset inflated (the platform's `DecompressionStream`, so it runs in a browser too),
 * its structure walked, a file meta header naming the new syntax. Any other file is returned as
 * it is.
 *
 * @param bytes - a Part 10 file, e.g. {@link toPart10}'s output (not changed).
 * @param file - a name for messages.
 * @returns the file in explicit VR little endian, or the input.
 * @throws {ComputeError} `COMPUTE_UNREADABLE_DICOM`: the deflate stream is corrupt, inflates
 * past {@link MAX_INFLATED_BYTES}, or the dataset does not add up (offsets in the inflated dataset).
 * @example
 * ```ts
 * import { inflatePart10 } from '@btt/compute'
 * import { writeDicom } from '@btt/compute/testing'
 * const file = writeDicom({ frames: [new Uint16Array(4)], rows: 2, columns: 2 })
 * console.log((await inflatePart10(file)) === file) // true: not deflated, returned as it is
 * ```
 */
export async function inflatePart10(bytes: Uint8Array, file = '(buffer)'): Promise<Uint8Array> {
  parseArgs(argsSchema, [bytes, file], 'inflatePart10 arguments')
  let layout: ReturnType<typeof readFileMeta>
  try {
    layout = readFileMeta(bytes)
  } catch (error) {
    if (error instanceof ReadFailure) throw unreadableAt(file, error.reason, error.offset)
    throw error
  }
  if (layout.transferSyntaxUid !== DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) return bytes
  const dataset = await inflate(bytes.subarray(layout.datasetOffset), file, layout.datasetOffset)
  try {
    const summary = walkDataset(dataset, 0, dataset.byteLength, {
      explicit: true,
      littleEndian: true,
    })
    const meta = buildFileMeta({ transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, ...summary.uids })
    const out = new Uint8Array(meta.byteLength + dataset.byteLength)
    out.set(meta)
    out.set(dataset, meta.byteLength)
    return out
  } catch (error) {
    if (error instanceof ReadFailure)
      throw unreadableAt(file, `in the inflated dataset: ${error.reason}`, error.offset)
    throw error
  }
}

async function inflate(deflated: Uint8Array, file: string, offset: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    const stream = new Blob([deflated]).stream().pipeThrough(new DecompressionStream('deflate-raw'))
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength
      if (total > MAX_INFLATED_BYTES)
        throw new ReadFailure(
          `the deflated dataset inflates past ${MAX_INFLATED_BYTES} bytes`,
          offset,
        )
      chunks.push(chunk)
    }
  } catch (error) {
    if (error instanceof ReadFailure) throw unreadableAt(file, error.reason, error.offset)
    throw unreadableAt(
      file,
      `the deflated dataset does not inflate (${(error as Error).message})`,
      offset,
      error,
    )
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}

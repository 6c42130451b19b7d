import { parseWithCode } from '@btt/core'
import { z } from 'zod'
import { ConnectorsError } from '../errors.js'
import type { Masked } from './maskedFindings.js'

const framesSchema = z.array(z.instanceof(Uint8Array))

/**
 * Frames of one byte per pixel packed 1 bit per pixel, frames back to back with no padding
 * between them, the least significant bit first (PS3.5 §8.1.1 / PS3.3 C.8.20.2.1); the whole
 * padded to an even length.
 *
 * @param frames - one byte per pixel (non-zero is set), one array per frame.
 * @returns the packed bits.
 * @throws {ConnectorsError} `CONNECTORS_INVALID_ARGUMENT` when `frames` is not a list of byte arrays.
 * @example
 * ```ts
 * import { packBits } from '@btt/connectors'
 * packBits([Uint8Array.from([1, 0, 1])]) // Uint8Array [5, 0]
 * ```
 */
export function packBits(frames: readonly Uint8Array[]): Uint8Array {
  parseWithCode(framesSchema, frames, 'frames', ConnectorsError, 'CONNECTORS_INVALID_ARGUMENT')
  const bits = frames.reduce((n, f) => n + f.length, 0)
  const bytes = Math.ceil(bits / 8)
  const out = new Uint8Array(bytes + (bytes % 2))
  let i = 0
  for (const frame of frames) {
    let p = 0
    if ((i & 7) === 0) {
      // byte-aligned (every frame whose size is a multiple of 8, e.g. 512×512): 8 pixels a byte
      const whole = frame.length & ~7
      let at = i >> 3
      for (; p < whole; p += 8)
        out[at++] =
          (frame[p] ? 1 : 0) |
          (frame[p + 1] ? 2 : 0) |
          (frame[p + 2] ? 4 : 0) |
          (frame[p + 3] ? 8 : 0) |
          (frame[p + 4] ? 16 : 0) |
          (frame[p + 5] ? 32 : 0) |
          (frame[p + 6] ? 64 : 0) |
          (frame[p + 7] ? 128 : 0)
      i += whole
    }
    for (; p < frame.length; p++, i++) if (frame[p]) out[i >> 3]! |= 1 << (i & 7)
  }
  return out
}

/** Frames of one byte per pixel back to back, padded to an even length. */
export function concatEven(planes: readonly Uint8Array[]): Uint8Array {
  const n = planes.reduce((a, p) => a + p.length, 0)
  const out = new Uint8Array(n + (n % 2))
  let at = 0
  for (const p of planes) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/**
 * Each frame's plane: the mask (BINARY) or the model's probabilities (FRACTIONAL).
 *
 * @throws {ConnectorsError} `RESULT_ENCODING_FAILED` for FRACTIONAL when a mask has no probabilities.
 */
export function segmentPlanes(frames: readonly Masked[], fractional: boolean): Uint8Array[] {
  return frames.map(({ image, finding }) => {
    if (!fractional) return finding.mask.pixels
    if (!finding.mask.probabilities)
      throw new ConnectorsError(
        'RESULT_ENCODING_FAILED',
        `A FRACTIONAL SEG needs each mask's probabilities: ${image.file} has none (analyze with \`maskProbabilities: true\`).`,
        { details: { file: image.file } },
      )
    return finding.mask.probabilities
  })
}

/**
 * Whether two segments claim (a non-zero value at) the same pixel of the same source frame
 * (Segments Overlap, PS3.3 C.8.20.2).
 */
export function segmentsOverlap(planes: readonly Uint8Array[], frames: readonly Masked[]): boolean {
  const bySource = new Map<string, Uint8Array[]>()
  frames.forEach((f, i) => {
    const key = `${f.image.sopInstanceUid}#${f.image.frame}`
    bySource.set(key, [...(bySource.get(key) ?? []), planes[i]!])
  })
  for (const masks of bySource.values()) {
    if (masks.length < 2) continue
    const seen = new Uint8Array(masks[0]!.length)
    for (const m of masks)
      for (let i = 0; i < m.length; i++) {
        if (m[i] && seen[i]) return true
        if (m[i]) seen[i] = 1
      }
  }
  return false
}

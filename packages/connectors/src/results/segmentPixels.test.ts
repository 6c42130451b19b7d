import { describe, expect, test } from 'vitest'
import { findingOf, imageOf, maskOf } from '../../test/resultFixture.js'
import type { Masked } from './maskedFindings.js'
import { concatEven, packBits, segmentPlanes, segmentsOverlap } from './segmentPixels.js'

test('packBits: the byte-at-a-time path equals bit-by-bit packing, aligned or not', () => {
  let seed = 7
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) >>> 0
    return seed / 2 ** 32
  }
  for (let run = 0; run < 60; run++) {
    const frames = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
      Uint8Array.from({ length: Math.floor(random() * 70) }, () => (random() < 0.4 ? 1 : 0)),
    )
    const bits = frames.flatMap((f) => Array.from(f))
    const expected = new Uint8Array(Math.ceil(bits.length / 8) + (Math.ceil(bits.length / 8) % 2))
    bits.forEach((b, i) => {
      if (b) expected[i >> 3]! |= 1 << (i & 7)
    })
    expect(packBits(frames)).toEqual(expected)
  }
})

test('packBits: least significant bit first, frames back to back, even length', () => {
  const a = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 1]) // 9 pixels
  const b = Uint8Array.from([0, 1, 1, 0, 0, 0, 0, 0, 0])
  // bits 0 and 8 from a; bits 10 and 11 from b (no padding after a's 9th bit)
  expect(Array.from(packBits([a, b]))).toEqual([0b0000_0001, 0b0000_1101, 0, 0])
  expect(packBits([Uint8Array.from([1, 1, 1])])).toHaveLength(2)
})

test('concatEven: planes back to back, padded to an even length', () => {
  expect(Array.from(concatEven([Uint8Array.from([1, 2]), Uint8Array.from([3])]))).toEqual([
    1, 2, 3, 0,
  ])
  expect(concatEven([Uint8Array.from([1, 2])])).toHaveLength(2)
})

const masked = (sop: string, on: number[], frame = 0, probabilities?: Uint8Array): Masked => {
  const mask = { ...maskOf(on), ...(probabilities ? { probabilities } : {}) }
  return { image: imageOf(sop, [], { frame }), finding: { ...findingOf('a', mask), mask } }
}

describe('segmentsOverlap', () => {
  test('only pixels claimed twice in the same source frame overlap', () => {
    const a = masked('1.1', [1, 2])
    const b = masked('1.1', [2, 3])
    const c = masked('1.2', [1, 2]) // another image: never overlaps with a
    const d = masked('1.1', [1, 2], 1) // another frame of the same image
    const planes = (ms: Masked[]) => ms.map((m) => m.finding.mask.pixels)
    expect(segmentsOverlap(planes([a, b]), [a, b])).toBe(true)
    expect(segmentsOverlap(planes([a, c, d]), [a, c, d])).toBe(false)
    expect(segmentsOverlap(planes([a, masked('1.1', [5])]), [a, masked('1.1', [5])])).toBe(false)
  })
})

describe('segmentPlanes', () => {
  test('BINARY takes the masks, FRACTIONAL the probabilities, or says how to get them', () => {
    const p = new Uint8Array(64).fill(9)
    const withP = masked('1.1', [1], 0, p)
    expect(segmentPlanes([withP], false)[0]).toBe(withP.finding.mask.pixels)
    expect(segmentPlanes([withP], true)[0]).toBe(p)
    expect(() => segmentPlanes([masked('1.1', [1])], true)).toThrow(
      expect.objectContaining({ code: 'RESULT_ENCODING_FAILED' }),
    )
  })
})

test('packBits checks its input: a list of byte arrays', () => {
  for (const bad of [undefined, [1, 0, 1], [new Uint16Array(2)], 'abc'])
    expect(() => packBits(bad as never)).toThrow(
      expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' }),
    )
  expect(Array.from(packBits([Uint8Array.from([1, 0, 1])]))).toEqual([5, 0])
})

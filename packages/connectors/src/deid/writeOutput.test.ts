import { describe, expect, test } from 'vitest'
import { part10 } from '../../test/deid/encode.js'
import { parseDataset } from './parseDataset.js'
import type { OutElement } from './walkDataset.js'
import { writeOutput } from './writeOutput.js'

const join = (parts: Uint8Array[]) => Buffer.concat(parts)

describe('writeOutput', () => {
  for (const explicit of [true, false])
    test(`${explicit ? 'explicit' : 'implicit'} VR: kept elements copied, new values and sequences written, meta follows`, () => {
      const pixels = new Uint8Array(1 << 17).map((_, i) => i % 251)
      const input = part10(
        [
          { tag: 0x00080018, vr: 'UI', value: '1.2.3.4' },
          { tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' },
          { tag: 0x00280010, vr: 'US', value: new Uint8Array([0, 2]) },
          { tag: 0x7fe00010, vr: 'OW', value: pixels },
        ],
        { explicit, sopInstanceUid: '1.2.3.4' },
      )
      const p = parseDataset(input, { file: 't', maxDepth: 8 })
      const [sop, name, rows, pixel] = p.dataset
      const out: OutElement[] = [
        { tag: sop!.tag, vr: 'UI', node: sop!, edit: { kind: 'strings', values: ['2.25.7'] } },
        { tag: name!.tag, vr: 'PN', node: name!, edit: { kind: 'empty' } },
        {
          tag: 0x00120064,
          vr: 'SQ',
          edit: { kind: 'recurse' },
          items: [[{ tag: 0x00080100, vr: 'SH', edit: { kind: 'strings', values: ['113100'] } }]],
        },
        { tag: rows!.tag, vr: 'US', node: rows!, edit: { kind: 'zero' } },
        { tag: pixel!.tag, vr: 'OW', node: pixel!, edit: { kind: 'keep' } },
      ]
      const parts = writeOutput(p, out, { mediaStorageSopInstanceUid: '2.25.7', file: 't' })
      // Pixel Data is referenced, not copied
      expect(
        parts.some((part) => part.buffer === p.bytes.buffer && part.length >= pixels.length),
      ).toBe(true)
      const back = parseDataset(join(parts), { file: 'back', maxDepth: 8 })
      const text = (i: number) =>
        back.bytes.toString(
          'latin1',
          back.dataset[i]!.value,
          back.dataset[i]!.value + back.dataset[i]!.length,
        )
      expect(back.explicit).toBe(explicit)
      expect(back.dataset.map((n) => n.tag.toString(16))).toEqual([
        '80018',
        '100010',
        '120064',
        '280010',
        '7fe00010',
      ])
      expect(text(0)).toBe('2.25.7')
      expect(back.dataset[1]!.length).toBe(0)
      expect(back.dataset[2]!.items).toHaveLength(1)
      expect(text(3)).toBe('\0\0')
      expect(
        Buffer.from(back.bytes.subarray(back.dataset[4]!.value, back.dataset[4]!.end)).equals(
          Buffer.from(pixels),
        ),
      ).toBe(true)
      const meta = back.meta.find((n) => n.tag === 0x00020003)!
      expect(back.bytes.toString('latin1', meta.value, meta.value + meta.length)).toBe('2.25.7')
    })
})

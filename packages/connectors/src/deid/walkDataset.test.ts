import { describe, expect, test } from 'vitest'
import { part10 } from '../../test/deid/encode.js'
import { createContext } from './context.js'
import { deidentifyOptionsSchema } from './options.js'
import { parseDataset } from './parseDataset.js'
import { walkDataset } from './walkDataset.js'

describe('walkDataset', () => {
  test('table rows, the sweep, private blocks and group lengths, items included', () => {
    const bytes = part10(
      [
        { tag: 0x00080000, vr: 'UL', value: new Uint8Array(4) },
        { tag: 0x00080020, vr: 'DA', value: '20240517' }, // Study Date: Z
        { tag: 0x00090010, vr: 'LO', value: 'ACME' },
        { tag: 0x00091001, vr: 'LO', value: 'secret' },
        {
          tag: 0x00081140, // Referenced Image Sequence: X/Z/U*
          vr: 'SQ',
          value: [
            [
              { tag: 0x00081155, vr: 'UI', value: '1.2.3.9' },
              { tag: 0x00140102, vr: 'DA', value: '20240517' },
            ],
          ],
        },
      ],
      { explicit: true, sopInstanceUid: '1.2.3' },
    )
    const p = parseDataset(bytes, { file: 't', maxDepth: 8 })
    const key = new Uint8Array(4)
    const ctx = createContext(deidentifyOptionsSchema.parse({ key }), key, { id: '', name: '' })
    const out = walkDataset(p.dataset, p, ctx)
    expect(out.map((e) => [e.tag.toString(16), e.edit.kind])).toEqual([
      ['80020', 'empty'],
      ['81140', 'recurse'],
    ])
    const item = out[1]!.items![0]!
    expect(item.map((e) => [e.tag.toString(16), e.edit.kind])).toEqual([['81155', 'strings']])
    expect(ctx.removed.sort()).toEqual(['00080000', '00090010', '00091001', '00140102'])
    expect(ctx.uids.get('1.2.3.9')).toMatch(/^2\.25\./)
  })
})

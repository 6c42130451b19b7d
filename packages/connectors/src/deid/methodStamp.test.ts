import { describe, expect, test } from 'vitest'
import { METHOD_TEXT, methodCodes, methodStamp } from './methodStamp.js'
import { deidentifyOptionsSchema } from './options.js'
import type { OutElement } from './walkDataset.js'

const o = (options: object) => deidentifyOptionsSchema.parse({ key: new Uint8Array(4), ...options })

describe('methodStamp', () => {
  test('names the edition and lists the CID 7050 codes of the profile and each option used', () => {
    expect(METHOD_TEXT).toMatch(/PS3\.15 2024b/)
    expect(methodCodes(o({}))).toEqual(['basic'])
    expect(
      methodCodes(
        o({
          retain: {
            dates: 'shifted',
            uids: true,
            safePrivate: [{ group: '0009', creator: 'A', element: '01' }],
          },
          clean: { descriptors: true },
        }),
      ),
    ).toEqual(['basic', 'descriptors', 'shifted', 'uids', 'private'])
  })
  test('inserts the stamp in tag order, replacing any the input had', () => {
    const input: OutElement[] = [
      { tag: 0x00100010, vr: 'PN', edit: { kind: 'keep' } },
      { tag: 0x00120063, vr: 'LO', edit: { kind: 'keep' } },
      { tag: 0x7fe00010, vr: 'OW', edit: { kind: 'keep' } },
    ]
    const out = methodStamp(input, o({ retain: { dates: 'full' } }))
    expect(out.map((e) => e.tag.toString(16))).toEqual([
      '100010',
      '120062',
      '120063',
      '120064',
      '280303',
      '7fe00010',
    ])
    expect(out[2]!.edit).toEqual({ kind: 'strings', values: [METHOD_TEXT] })
    expect(out[4]!.edit).toEqual({ kind: 'strings', values: ['UNMODIFIED'] })
    const codes = out[3]!.items!.map((item) => (item[0]!.edit as { values: string[] }).values[0])
    expect(codes).toEqual(['113100', '113106'])
  })
})

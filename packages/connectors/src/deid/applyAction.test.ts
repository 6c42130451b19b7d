import { describe, expect, test } from 'vitest'
import { applyAction } from './applyAction.js'
import { createContext } from './context.js'
import { deidentifyOptionsSchema } from './options.js'

const key = new Uint8Array(4)
const ctx = () =>
  createContext(deidentifyOptionsSchema.parse({ key }), key, { id: 'MRN-1', name: 'Doe^Jane' })
const el = (tag: string, vr: string, value = '') => ({
  tag,
  vr,
  values: () => (value ? [value] : []),
})

// Every action and column against the table is in test/deid/table.test.ts; here, the choices made.
describe('applyAction: compound actions resolved towards a valid IOD', () => {
  test('X/Z → Z, X/D · Z/D · X/Z/D → D, X/Z/U* → U for UIDs', () => {
    expect(applyAction(el('00080020', 'DA', '20240517'), { action: 'X/Z' }, ctx())).toEqual({
      kind: 'empty',
    })
    expect(applyAction(el('00080012', 'DA', '20240517'), { action: 'X/D' }, ctx())).toEqual({
      kind: 'strings',
      values: ['19000101'],
    })
    expect(applyAction(el('00080080', 'LO', 'Hospital'), { action: 'X/Z/D' }, ctx())).toEqual({
      kind: 'strings',
      values: ['ANONYMIZED'],
    })
    expect(applyAction(el('00081155', 'UI', '1.2.3'), { action: 'X/Z/U*' }, ctx())).toEqual({
      kind: 'strings',
      values: [expect.stringMatching(/^2\.25\.\d+$/)],
    })
  })
  test('Patient ID and Name become the keyed pseudonym; sequences under D and U are walked', () => {
    const c = ctx()
    const id = applyAction(el('00100020', 'LO', 'MRN-1'), { action: 'Z' }, c)
    const name = applyAction(el('00100010', 'PN', 'Doe^Jane'), { action: 'Z' }, c)
    expect(id).toEqual({ kind: 'strings', values: [c.pseudonym] })
    expect(name).toEqual({ kind: 'strings', values: [`${c.pseudonym}^PSEUDONYM`] })
    expect(applyAction(el('0040a730', 'SQ'), { action: 'D' }, c).kind).toBe('recurse')
    expect(applyAction(el('00081115', 'SQ'), { action: 'X/Z' }, c).kind).toBe('empty')
  })
  test('C under Clean Graphics removes a bitmap it cannot search', () => {
    expect(applyAction(el('60003000', 'OW'), { action: 'C', column: 'graph' }, ctx()).kind).toBe(
      'remove',
    )
  })
})

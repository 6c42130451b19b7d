import { describe, expect, test } from 'vitest'
import { createContext } from './context.js'
import { deidentifyOptionsSchema } from './options.js'
import { sweepElement } from './sweepElement.js'

const key = new Uint8Array(4)
const ctx = (options: object = {}) =>
  createContext(deidentifyOptionsSchema.parse({ key, ...options }), key, {
    id: 'P1',
    name: 'Doe^Jane',
  })
const el = (vr: string, value: string) => ({ tag: '00140102', vr, values: () => [value] })

describe('sweepElement: what the table does not list', () => {
  test('dates, times, date-times and names go; UIDs are mapped, the standard’s kept', () => {
    for (const vr of ['DA', 'DT', 'TM', 'PN', 'UN'])
      expect(sweepElement(el(vr, 'x'), ctx()).kind).toBe('remove')
    expect(sweepElement(el('UI', '1.2.3.4'), ctx())).toEqual({
      kind: 'strings',
      values: [expect.stringMatching(/^2\.25\.\d+$/)],
    })
    expect(sweepElement(el('UI', '1.2.840.10008.1.2'), ctx())).toEqual({
      kind: 'strings',
      values: ['1.2.840.10008.1.2'],
    })
  })
  test('kept where an option the caller chose keeps them', () => {
    expect(sweepElement(el('DA', '20240517'), ctx({ retain: { dates: 'full' } })).kind).toBe('keep')
    expect(sweepElement(el('TM', '101112'), ctx({ retain: { dates: 'shifted' } })).kind).toBe(
      'keep',
    )
    const shifted = sweepElement(el('DA', '20240517'), ctx({ retain: { dates: 'shifted' } }))
    expect(shifted).toEqual({ kind: 'strings', values: [expect.not.stringMatching(/^20240517$/)] })
    expect(sweepElement(el('UI', '1.2.3.4'), ctx({ retain: { uids: true } })).kind).toBe('keep')
    expect(sweepElement(el('PN', 'Doe'), ctx({ retain: { dates: 'full', uids: true } })).kind).toBe(
      'remove',
    )
  })
  test('an unlisted text or code element holding the patient’s ID or name goes (found by the reader fuzz: a flipped tag moved Patient ID out of the table)', () => {
    const withId = (options: object = {}) =>
      createContext(deidentifyOptionsSchema.parse({ key, ...options }), key, {
        id: 'SYN-0001',
        name: 'Doe^Jane',
      })
    expect(sweepElement(el('LO', 'SYN-0001'), withId()).kind).toBe('empty')
    expect(sweepElement(el('SH', 'x SYN-0001 y'), withId()).kind).toBe('empty')
    expect(sweepElement(el('LT', 'seen by jane'), withId()).kind).toBe('empty')
    expect(sweepElement(el('CS', 'SYN-0001'), withId()).kind).toBe('empty')
    expect(sweepElement(el('LO', 'CHEST'), withId()).kind).toBe('keep')
    expect(sweepElement(el('US', 'SYN-0001'), withId()).kind).toBe('keep') // binary: not text
  })
  test('sequences are walked; other values kept', () => {
    expect(sweepElement(el('SQ', ''), ctx()).kind).toBe('recurse')
    expect(sweepElement(el('CS', 'X'), ctx()).kind).toBe('keep')
  })
})

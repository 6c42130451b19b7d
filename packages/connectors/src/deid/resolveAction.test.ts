import { describe, expect, test } from 'vitest'
import type { TableRow } from './actionTable.js'
import { deidentifyOptionsSchema } from './options.js'
import { resolveAction } from './resolveAction.js'

const key = new Uint8Array(4)
const row: TableRow = {
  tag: '00080022',
  name: 'Acquisition Date',
  basic: 'X/Z',
  options: { full: 'K', mod: 'C', desc: 'X' },
}
const o = (options: object) => deidentifyOptionsSchema.parse({ key, ...options })

describe('resolveAction', () => {
  test('without an option that names the row: the Basic Profile', () => {
    expect(resolveAction(row, o({}))).toEqual({ action: 'X/Z' })
    expect(resolveAction(row, o({ retain: { uids: true } }))).toEqual({ action: 'X/Z' })
  })
  test("an enabled option's action, with its column", () => {
    expect(resolveAction(row, o({ retain: { dates: 'full' } }))).toEqual({
      action: 'K',
      column: 'full',
    })
    expect(resolveAction(row, o({ retain: { dates: 'shifted' } }))).toEqual({
      action: 'C',
      column: 'mod',
    })
  })
  test('K beats C beats X when several options name the row', () => {
    const both = o({ retain: { dates: 'shifted' }, clean: { descriptors: true } })
    expect(resolveAction(row, both)).toEqual({ action: 'C', column: 'mod' })
    expect(resolveAction(row, o({ clean: { descriptors: true } }))).toEqual({
      action: 'X',
      column: 'desc',
    })
  })
})

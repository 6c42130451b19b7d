import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import {
  ACTIONS,
  type Action,
  actionTable,
  OPTION_KEYS,
  type OptionColumn,
  TABLE_FILE,
} from '../../src/deid/actionTable.js'
import { applyAction } from '../../src/deid/applyAction.js'
import { createContext } from '../../src/deid/context.js'
import { deidentify } from '../../src/deid/deidentify.js'
import { type Edit, TEXT_VRS } from '../../src/deid/edit.js'
import { deidentifyOptionsSchema } from '../../src/deid/options.js'
import { resolveAction } from '../../src/deid/resolveAction.js'
import { standardFile } from '../../src/deid/standardFile.js'
import { vrOf } from '../../src/deid/vrDictionary.js'
import { part10 } from './encode.js'
import { ORIGINAL, rowTag, UID_ROOT, valueFor } from './fixtures.js'
import { walkOutput } from './walkOutput.js'

const key = new TextEncoder().encode('table coverage')
type JsonRow = { id: string; name: string; basicProfile: string } & Record<string, string>
const json = JSON.parse(readFileSync(standardFile(TABLE_FILE), 'utf8')) as JsonRow[]
const OPTION_OF: Record<OptionColumn, object> = {
  uid: { retain: { uids: true } },
  dev: { retain: { device: true } },
  inst: { retain: { institution: true } },
  pat: { retain: { patientCharacteristics: true } },
  full: { retain: { dates: 'full' } },
  mod: { retain: { dates: 'shifted' } },
  desc: { clean: { descriptors: true } },
  struct: { clean: { structuredContent: true } },
  graph: { clean: { graphics: true } },
  priv: { retain: { safePrivate: [{ group: '0009', creator: 'ACME', element: '01' }] } },
}
const BULK = new Set(['OB', 'OW', 'OD', 'OF', 'OL', 'OV', 'UN'])
const BINARY = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV', 'AT'])

/** What an action must do to an element of a VR (the standard's meaning, compound ones resolved). */
function expectAction(
  edit: Edit,
  action: Action,
  column: OptionColumn | undefined,
  vr: string,
  tag: string,
) {
  const what = `${tag} ${vr} ${action}${column ? ` (${column})` : ''}`
  const sq = vr === 'SQ'
  const strings = edit.kind === 'strings' ? edit.values : []
  switch (action) {
    case 'X':
      return expect(edit.kind, what).toBe('remove')
    case 'K':
      return expect(edit.kind, what).toBe(sq ? 'recurse' : 'keep')
    case 'Z':
    case 'X/Z':
      if (!sq && (tag === '00100010' || tag === '00100020'))
        return expect(strings[0], what).toMatch(/^BTT-/)
      return expect(edit.kind, what).toBe('empty')
    case 'D':
    case 'X/D':
    case 'Z/D':
    case 'X/Z/D':
      if (sq) return expect(edit.kind, what).toBe('recurse')
      if (BINARY.has(vr)) return expect(edit.kind, what).toBe('zero')
      if (BULK.has(vr)) return expect(edit.kind, what).toBe('empty')
      expect(edit.kind, what).toBe('strings')
      return expect(strings.join('\\'), what).not.toBe(String(valueFor(vr === 'UI' ? 'XX' : vr)))
    case 'U':
    case 'X/Z/U*':
      if (sq) return expect(edit.kind, what).toBe('recurse')
      if (vr === 'UI') return expect(strings[0], what).toMatch(/^2\.25\.\d+$/)
      return expect(edit.kind, what).toBe('empty')
    case 'C':
      if (sq) return expect(edit.kind, what).toBe('recurse')
      if (column === 'mod' && (vr === 'DA' || vr === 'DT'))
        return expect(strings[0]?.startsWith(ORIGINAL.DA), what).toBe(false)
      if (column === 'graph' && (vr === 'OB' || vr === 'OW'))
        return expect(edit.kind, what).toBe('remove')
      if (column !== 'mod' && TEXT_VRS.has(vr))
        return expect(strings.join(), what).toContain('[REDACTED]')
      return expect(edit.kind, what).toBe('keep')
  }
}

describe(`Table E.1-1, ${TABLE_FILE}: every row and option action has an implementation`, () => {
  test('every key and action of the JSON table is one the implementation knows', () => {
    const known = new Set([
      'name',
      'tag',
      'id',
      'stdCompIOD',
      'basicProfile',
      ...Object.values(OPTION_KEYS),
    ])
    expect(json).toHaveLength(621)
    for (const row of json) {
      for (const k of Object.keys(row)) expect(known.has(k), `${row.id}: column ${k}`).toBe(true)
      expect(ACTIONS, `${row.id} basic`).toContain(row.basicProfile)
      for (const k of Object.values(OPTION_KEYS))
        if (row[k] !== undefined) expect(['K', 'C', 'X'], `${row.id} ${k}`).toContain(row[k])
    }
  })

  test('each row under the Basic Profile and under each option it names does what the action says', () => {
    const t = actionTable()
    let cases = 0
    for (const row of [...t.rows.values(), ...t.repeating]) {
      const tag = rowTag(row.tag)
      const vr = vrOf(tag) ?? 'UN'
      const hex = tag.toString(16).padStart(8, '0')
      const value =
        vr === 'SQ'
          ? ''
          : String(
              vr === 'PN' ? ORIGINAL.PN : valueFor(vr) instanceof Uint8Array ? '' : valueFor(vr),
            )
      const text = TEXT_VRS.has(vr) ? `${value} Doe Jane` : value
      const view = { tag: hex, vr, values: () => (text ? [text] : []) }
      const settings: [OptionColumn | undefined, object][] = [
        [undefined, {}],
        ...(Object.keys(row.options) as OptionColumn[]).map(
          (c) => [c, OPTION_OF[c]] as [OptionColumn, object],
        ),
      ]
      for (const [column, options] of settings) {
        const o = deidentifyOptionsSchema.parse({ ...options, key })
        const resolved = resolveAction(row, o)
        expect(resolved.action).toBe(column ? row.options[column] : row.basic)
        const ctx = createContext(o, key, { id: 'MRN-1', name: 'Doe^Jane' })
        expectAction(applyAction(view, resolved, ctx), resolved.action, resolved.column, vr, hex)
        cases++
      }
    }
    expect(cases).toBeGreaterThan(620 + 500)
  })

  test('an action the implementation does not know is an error, not a silent keep', () => {
    const o = deidentifyOptionsSchema.parse({ key })
    const ctx = createContext(o, key, { id: '', name: '' })
    const view = { tag: '00080020', vr: 'DA', values: () => [ORIGINAL.DA] }
    expect(() => applyAction(view, { action: 'Q' as Action }, ctx)).toThrow(/no implementation/)
  })
})

describe('every attribute added to the table since the 2021 edition is handled', () => {
  const old = new Set(
    readFileSync(new URL('../ps3.15-2021-table-e1-1.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.split(/\s+/)[0]!),
  )
  const added = json.filter((r) => !old.has(r.id))

  test('162 attributes were added (621 against 459)', () => {
    expect(old.size).toBe(459)
    expect(added).toHaveLength(162)
    expect(added.map((r) => r.id)).toEqual(
      expect.arrayContaining(['00080012', '0040a032', '0040a030']),
    )
  })

  test('each added attribute, alone in a file, leaves no original value under the Basic Profile', () => {
    for (const row of added) {
      const tag = rowTag(row.id)
      if (tag >>> 16 === 0x0002) continue // file meta: writeOutput.test.ts
      const vr = vrOf(tag) ?? 'UN'
      const value =
        vr === 'SQ' ? [[{ tag: 0x00080012, vr: 'DA', value: ORIGINAL.DA }]] : valueFor(vr)
      const file = part10([{ tag, vr, value }], { explicit: true, sopInstanceUid: `${UID_ROOT}0` })
      const { bytes } = deidentify(file, { key })
      const out = walkOutput(bytes).filter((e) => e.tag === row.id || e.depth > 0)
      const what = `${row.id} ${row.name} (${vr}, ${row.basicProfile})`
      if (row.basicProfile === 'X')
        expect(
          out.filter((e) => e.tag === row.id),
          what,
        ).toEqual([])
      const text = Buffer.from(bytes).toString('latin1')
      for (const original of [ORIGINAL.DA, ORIGINAL.PN, ORIGINAL.text, UID_ROOT, 'SECRET'])
        expect(text.includes(original), `${what}: ${original} survived`).toBe(false)
    }
  })
})

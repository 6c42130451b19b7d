import { actionTable } from '../../src/deid/actionTable.js'
import { vrOf } from '../../src/deid/vrDictionary.js'
import type { FixtureElement } from './encode.js'

/** The identifying values the fixtures carry, by VR: none may survive the profile. */
export const ORIGINAL = {
  DA: '20240517',
  DT: '20240517101112.000000',
  TM: '101112',
  PN: 'Doe^Jane',
  text: 'SECRET Doe Jane',
}
export const UID_ROOT = '1.2.826.0.1.3680043.10.1398.999.'
let serial = 0

/** A value of the VR, as an identifying scanner would write it. */
export function valueFor(vr: string): FixtureElement['value'] {
  switch (vr) {
    case 'DA':
    case 'DT':
    case 'TM':
    case 'PN':
      return ORIGINAL[vr]
    case 'UI':
      return `${UID_ROOT}${++serial}`
    case 'AE':
      return 'SECRETAE'
    case 'AS':
      return '045Y'
    case 'CS':
      return 'SECRET'
    case 'DS':
      return '1.5'
    case 'IS':
      return '7'
    case 'UR':
      return 'http://secret.example/'
    case 'US':
    case 'SS':
      return new Uint8Array([1, 2])
    case 'UL':
    case 'SL':
    case 'FL':
    case 'AT':
      return new Uint8Array([1, 2, 3, 4])
    case 'FD':
    case 'SV':
    case 'UV':
      return new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])
    case 'OB':
    case 'OW':
    case 'OD':
    case 'OF':
    case 'OL':
    case 'OV':
    case 'UN':
      return new Uint8Array([0x53, 0x43, 0x52, 0x54, 0x44, 0x4f, 0x45, 0x30])
    default:
      return ORIGINAL.text
  }
}

/** The tag a table row stands for (repeating groups: their first group). */
export function rowTag(id: string): number {
  const concrete = id.replace(/^50xxxxxx$/, '50003000').replace(/^(5|6)0xx/, '$10' + '00')
  return Number.parseInt(concrete, 16) >>> 0
}

/** Public attributes the table does not list, of each VR the sweep must catch (from PS3.6). */
export function unlistedSensitive(): FixtureElement[] {
  const listed = new Set([...actionTable().rows.keys()])
  // not in the 2024b table (checked below), from PS3.6
  const picks: Record<string, number[]> = {
    DA: [0x00140102, 0x00141020, 0x00143076],
    DT: [0x00080404, 0x00080416, 0x40101025],
    TM: [0x00140103, 0x00143077],
    PN: [0x00140104, 0x00142006, 0x0040a067],
    UI: [0x0008001a, 0x0008001b, 0x0008010d],
  }
  const out: FixtureElement[] = []
  for (const [vr, tags] of Object.entries(picks))
    for (const tag of tags) {
      const hex = tag.toString(16).padStart(8, '0')
      if (listed.has(hex)) throw new Error(`fixture: ${hex} is listed in the table`)
      if (vrOf(tag) !== vr) throw new Error(`fixture: ${hex} is not ${vr} in PS3.6`)
      out.push({ tag, vr, value: valueFor(vr) })
    }
  return out
}

/** An item nested `depth` sequences deep, each level with dates, names, UIDs and a private block. */
export function nestedItem(depth: number): FixtureElement[] {
  const item: FixtureElement[] = [
    { tag: 0x00080012, vr: 'DA', value: ORIGINAL.DA }, // Instance Creation Date
    { tag: 0x00081155, vr: 'UI', value: valueFor('UI') },
    { tag: 0x0040a123, vr: 'PN', value: ORIGINAL.PN },
    ...unlistedSensitive(),
    ...privateBlock(false),
  ]
  if (depth > 1)
    item.push({ tag: 0x00081199, vr: 'SQ', value: [nestedItem(depth - 1), nestedItem(depth - 1)] })
  return item
}

/** A private block (0009,0010 "ACME 1.0"): a date, a name, a UID and (nested) a sequence. */
export function privateBlock(withSequence = true): FixtureElement[] {
  const block: FixtureElement[] = [
    { tag: 0x00090010, vr: 'LO', value: 'ACME 1.0' },
    { tag: 0x00091001, vr: 'DA', value: ORIGINAL.DA },
    { tag: 0x00091002, vr: 'PN', value: ORIGINAL.PN },
    { tag: 0x00091003, vr: 'UI', value: valueFor('UI') },
  ]
  if (withSequence) block.push({ tag: 0x00091004, vr: 'SQ', value: [nestedItem(1)] })
  return block
}

/** An SR-like content tree: observation and verification date-times, dates, times, names. */
export function contentTree(depth: number): FixtureElement[][] {
  const leaf = (type: string, tag: number, vr: string): FixtureElement[] => [
    { tag: 0x0040a010, vr: 'CS', value: 'CONTAINS' },
    { tag: 0x0040a032, vr: 'DT', value: ORIGINAL.DT }, // Observation DateTime
    { tag: 0x0040a040, vr: 'CS', value: type },
    { tag, vr, value: valueFor(vr) },
  ]
  const items = [
    leaf('DATETIME', 0x0040a120, 'DT'),
    leaf('DATE', 0x0040a121, 'DA'),
    leaf('TIME', 0x0040a122, 'TM'),
    leaf('PNAME', 0x0040a123, 'PN'),
    leaf('UIDREF', 0x0040a124, 'UI'),
    leaf('TEXT', 0x0040a160, 'UT'),
  ]
  if (depth > 1)
    items.push([
      { tag: 0x0040a010, vr: 'CS', value: 'CONTAINS' },
      { tag: 0x0040a032, vr: 'DT', value: ORIGINAL.DT },
      { tag: 0x0040a040, vr: 'CS', value: 'CONTAINER' },
      { tag: 0x0040a730, vr: 'SQ', value: contentTree(depth - 1) },
    ])
  return items
}

/**
 * Every attribute of Table E.1-1 with a value of its VR (sequences with nested items three deep),
 * public attributes the table does not list, a private block with a private sequence, and an
 * SR-like content tree with Verification DateTime (0040,A030) and Observation DateTime (0040,A032).
 */
export function everyAttribute(): FixtureElement[] {
  const t = actionTable()
  const byTag = new Map<number, FixtureElement>()
  for (const row of [...t.rows.values(), ...t.repeating]) {
    const tag = rowTag(row.tag)
    const group = tag >>> 16
    if (group === 0x0000 || group === 0x0002) continue // command group and file meta: not data set
    const vr = vrOf(tag) ?? 'UN'
    byTag.set(tag, { tag, vr, value: vr === 'SQ' ? [nestedItem(3)] : valueFor(vr) })
  }
  for (const e of [...unlistedSensitive(), ...privateBlock()]) byTag.set(e.tag, e)
  byTag.set(0x0040a730, { tag: 0x0040a730, vr: 'SQ', value: contentTree(3) })
  byTag.set(0x0040a073, {
    tag: 0x0040a073, // Verifying Observer Sequence
    vr: 'SQ',
    value: [
      [
        { tag: 0x0040a030, vr: 'DT', value: ORIGINAL.DT }, // Verification DateTime
        { tag: 0x0040a075, vr: 'PN', value: ORIGINAL.PN },
        { tag: 0x0040a027, vr: 'LO', value: ORIGINAL.text },
      ],
    ],
  })
  byTag.set(0x00080016, { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.88.33' })
  byTag.set(0x7fe00010, { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(64) })
  return [...byTag.values()]
}

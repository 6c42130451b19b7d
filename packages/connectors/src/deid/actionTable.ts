import { readFileSync } from 'node:fs'
import { ConnectorsError } from '../errors.js'
import { standardFile } from './standardFile.js'

/** The edition of DICOM PS3.15 whose Table E.1-1 the de-identifier follows. */
export const TABLE_EDITION = '2024b'
/** The file, under the package's `standard/` folder, that holds the table (see its README). */
export const TABLE_FILE = `ps3.15-${TABLE_EDITION}-table-e1-1.json`

/** Actions of PS3.15 Table E.1-1 (compound ones choose by the attribute's type in the IOD). */
export type Action = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'X/Z' | 'X/D' | 'Z/D' | 'X/Z/D' | 'X/Z/U*'
export const ACTIONS: readonly Action[] = [
  'D',
  'Z',
  'X',
  'K',
  'C',
  'U',
  'X/Z',
  'X/D',
  'Z/D',
  'X/Z/D',
  'X/Z/U*',
]

/** The table's option columns (short names; `OPTION_KEYS` gives the table's keys). */
export type OptionColumn =
  | 'uid'
  | 'dev'
  | 'inst'
  | 'pat'
  | 'full'
  | 'mod'
  | 'desc'
  | 'struct'
  | 'graph'
  | 'priv'

/** Option column → the key the 2024b JSON table uses for it. */
export const OPTION_KEYS: Readonly<Record<OptionColumn, string>> = {
  uid: 'rtnUIDsOpt',
  dev: 'rtnDevIdOpt',
  inst: 'rtnInstIdOpt',
  pat: 'rtnPatCharsOpt',
  full: 'rtnLongFullDatesOpt',
  mod: 'rtnLongModifDatesOpt',
  desc: 'cleanDescOpt',
  struct: 'cleanStructContOpt',
  graph: 'cleanGraphOpt',
  priv: 'rtnSafePrivOpt',
}

export type TableRow = {
  /** 8 lower-case hex digits; `x` for the repeating groups (50xx, 60xx). */
  tag: string
  name: string
  basic: Action
  options: Partial<Record<OptionColumn, 'K' | 'C' | 'X'>>
}

export type ActionTable = {
  edition: string
  rows: ReadonlyMap<string, TableRow>
  /** Rows for repeating groups (50xx, 60xx), matched by the tag's high byte and element. */
  repeating: readonly TableRow[]
  /** Private attributes (odd groups): the standard's row. */
  private: TableRow
}

let table: ActionTable | undefined

/** The standard's table, read once from `standard/ps3.15-2024b-table-e1-1.json`. */
export function actionTable(): ActionTable {
  table ??= parseActionTable(JSON.parse(readFileSync(standardFile(TABLE_FILE), 'utf8')))
  return table
}

const OPTION_ACTIONS = new Set(['K', 'C', 'X'])

/** Reads the JSON table (rows of `id`, `name`, `basicProfile` and option keys); checks each row. */
export function parseActionTable(json: unknown): ActionTable {
  if (!Array.isArray(json)) throw badTable('not a list of rows')
  const rows = new Map<string, TableRow>()
  const repeating: TableRow[] = []
  let priv: TableRow | undefined
  for (const r of json as Record<string, string>[]) {
    const basic = r.basicProfile as Action
    if (!ACTIONS.includes(basic) || typeof r.id !== 'string')
      throw badTable(`row ${JSON.stringify(r)}`)
    const options: TableRow['options'] = {}
    for (const [column, k] of Object.entries(OPTION_KEYS) as [OptionColumn, string][]) {
      const a = r[k]
      if (a === undefined) continue
      if (!OPTION_ACTIONS.has(a)) throw badTable(`option ${k}=${a} of ${r.id}`)
      options[column] = a as 'K' | 'C' | 'X'
    }
    const row: TableRow = { tag: r.id.slice(0, 8), name: String(r.name), basic, options }
    if (r.id.startsWith('gggg')) priv = row
    else if (/^[0-9a-f]{8}$/.test(r.id)) rows.set(r.id, row)
    else if (/^[0-9a-fx]{8}$/.test(r.id)) repeating.push(row)
    else throw badTable(`tag ${r.id}`)
  }
  if (!priv) throw badTable('no row for private attributes')
  return { edition: TABLE_EDITION, rows, repeating, private: priv }
}

/** The row for a tag (8 lower-case hex digits), or undefined when the table does not list it. */
export function rowFor(t: ActionTable, tag: string): TableRow | undefined {
  const row = t.rows.get(tag)
  if (row) return row
  // only groups 50xx and 60xx repeat
  if (tag[0] !== '5' && tag[0] !== '6') return undefined
  for (const r of t.repeating) {
    // 50xxxxxx: group 50xx any element; 60xx3000: group 60xx element 3000
    if (r.tag.slice(0, 2) !== tag.slice(0, 2)) continue
    if (r.tag.slice(4) === 'xxxx' || r.tag.slice(4) === tag.slice(4)) return r
  }
  return undefined
}

function badTable(what: string) {
  return new ConnectorsError(
    'DEID_STANDARD_DATA',
    `The de-identification table ${TABLE_FILE} is not as expected: ${what}.`,
    { details: { file: TABLE_FILE, what } },
  )
}

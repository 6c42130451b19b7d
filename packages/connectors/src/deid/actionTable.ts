import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Actions of PS3.15 Table E.1-1 (compound ones choose by the attribute's type in the IOD). */
export type Action = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'X/Z' | 'X/D' | 'Z/D' | 'X/Z/D' | 'X/Z/U*'

/** The table's option columns. */
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

export type TableRow = {
  tag: string
  basic: Action
  options: Partial<Record<OptionColumn, 'K' | 'C' | 'X'>>
}

export type ActionTable = {
  rows: ReadonlyMap<string, TableRow>
  /** Rows for repeating groups (50xx, 60xx), matched by the tag's high byte and element. */
  repeating: readonly TableRow[]
  /** Private attributes (odd groups): the standard's row. */
  private: TableRow
}

let table: ActionTable | undefined

/** The standard's table, parsed from `standard/ps3.15-table-e1-1.txt` (see its header). */
export function actionTable(): ActionTable {
  if (table) return table
  const here = import.meta.url
  const up = here.includes('/src/deid/') ? '../../' : '../'
  const text = readFileSync(
    fileURLToPath(new URL(`${up}standard/ps3.15-table-e1-1.txt`, here)),
    'utf8',
  )
  table = parseActionTable(text)
  return table
}

/** Parses the table text: `tag basic [column=action ...]` per line, `#` comments. */
export function parseActionTable(text: string): ActionTable {
  const rows = new Map<string, TableRow>()
  const repeating: TableRow[] = []
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue
    const [tag, basic, ...opts] = line.trim().split(/\s+/)
    const row: TableRow = {
      tag: tag!,
      basic: basic as Action,
      options: Object.fromEntries(opts.map((o) => o.split('=') as [OptionColumn, 'K' | 'C' | 'X'])),
    }
    if (tag!.includes('x')) repeating.push(row)
    else rows.set(tag!, row)
  }
  return { rows, repeating, private: { tag: 'ggggeeee', basic: 'X', options: { priv: 'C' } } }
}

/** The row for a tag (8 lower-case hex digits), or undefined when the profile leaves it alone. */
export function rowFor(t: ActionTable, tag: string): TableRow | undefined {
  const row = t.rows.get(tag)
  if (row) return row
  for (const r of t.repeating) {
    // 50xxxxxx: group 50xx any element; 60xx3000: group 60xx element 3000
    if (r.tag.slice(0, 2) !== tag.slice(0, 2)) continue
    if (r.tag.slice(4) === 'xxxx' || r.tag.slice(4) === tag.slice(4)) return r
  }
  return undefined
}

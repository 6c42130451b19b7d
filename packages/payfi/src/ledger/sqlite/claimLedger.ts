import Database from 'better-sqlite3'
import { payfiError } from '../../errors.js'
import { sqliteSchema } from './schema.js'

/** `PRAGMA application_id` of a ledger database: 'BTTL'. */
export const ledgerApplicationId = 0x4254544c

/** Table name → column names, as the current schema creates them. */
function ledgerShape(): Map<string, string> {
  const ref = new Database(':memory:')
  try {
    ref.exec(sqliteSchema)
    return tableShapes(ref)
  } finally {
    ref.close()
  }
}

function tableShapes(db: Database.Database): Map<string, string> {
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .all()
  return new Map(
    tables.map(({ name }) => [
      name,
      db
        .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
        .all(name)
        .map((c) => c.name)
        .join(','),
    ]),
  )
}

/**
 * Makes sure the database at `path` is a ledger before anything writes to it: an empty database,
 * or one that carries the ledger's application id, is one; an unmarked one whose tables are
 * exactly the ledger's (made before the mark existed) is adopted. Anything else is another
 * program's database and is refused with `PAYFI_NOT_A_LEDGER`, untouched. Marks the database.
 */
export function claimLedger(db: Database.Database, path: string): void {
  const id = db.pragma('application_id', { simple: true }) as number
  if (id !== ledgerApplicationId) {
    const shapes = tableShapes(db)
    const known = ledgerShape()
    const adoptable = id === 0 && [...shapes].every(([name, cols]) => known.get(name) === cols)
    if (!adoptable)
      throw payfiError(
        'PAYFI_NOT_A_LEDGER',
        `${path} is not a ledger database (it holds other data); it was left untouched.`,
        { details: { path, applicationId: id, tables: [...shapes.keys()].slice(0, 20) } },
      )
  }
  db.exec(sqliteSchema)
  if (id !== ledgerApplicationId) db.pragma(`application_id = ${ledgerApplicationId}`)
}

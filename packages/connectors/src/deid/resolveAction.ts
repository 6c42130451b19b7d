import type { Action, OptionColumn, TableRow } from './actionTable.js'
import type { DeidentifyConfig } from './options.js'

/** The action chosen for a row, and the option column it came from (none: the Basic Profile). */
export type ResolvedAction = { action: Action; column?: OptionColumn }

const ENABLED: Record<OptionColumn, (o: DeidentifyConfig) => boolean> = {
  uid: (o) => o.retain.uids,
  dev: (o) => o.retain.device,
  inst: (o) => o.retain.institution,
  pat: (o) => o.retain.patientCharacteristics,
  full: (o) => o.retain.dates === 'full',
  mod: (o) => o.retain.dates === 'shifted',
  desc: (o) => o.clean.descriptors,
  struct: (o) => o.clean.structuredContent,
  graph: (o) => o.clean.graphics,
  priv: (o) => o.retain.safePrivate.length > 0,
}
const RANK = { K: 3, C: 2, X: 1 } as const

/** Whether the caller chose the option of a column. */
export function optionEnabled(column: OptionColumn, o: DeidentifyConfig): boolean {
  return ENABLED[column](o)
}

/**
 * The action for a row of Table E.1-1 under the chosen options: among the enabled options that
 * name an action for the row, K beats C beats X (an option keeps what another would clean);
 * without one, the Basic Profile's action.
 */
export function resolveAction(row: TableRow, o: DeidentifyConfig): ResolvedAction {
  let best: { action: 'K' | 'C' | 'X'; column: OptionColumn } | undefined
  for (const [column, action] of Object.entries(row.options) as [OptionColumn, 'K' | 'C' | 'X'][])
    if (ENABLED[column](o) && (!best || RANK[action] > RANK[best.action])) best = { action, column }
  return best ?? { action: row.basic }
}

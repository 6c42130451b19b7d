import { EPOCH_COLUMNS, monthColumns, type RunResult } from '../engine/columns.js'

/** The header line of `epochs.csv`. */
export function epochsHeader(): string {
  return `variant,run,seed,epoch,month,${EPOCH_COLUMNS.join(',')}\n`
}

/** The header line of `months.csv` for these tiers. */
export function monthsHeader(tierIds: readonly string[], perNode = false): string {
  return `variant,run,seed,month,${monthColumns(tierIds, perNode).join(',')}\n`
}

/** A run's rows of `epochs.csv` and `months.csv`, each ending with a newline. */
export function csvRows(
  result: RunResult,
  tierIds: readonly string[],
): { epochs: string; months: string } {
  const prefix = `${result.variant},${result.run},${result.seed}`
  const n = result.epochs.revenue!.length
  const lines: string[] = []
  for (let e = 0; e < n; e++)
    lines.push(
      `${prefix},${e},${result.monthOf[e]! + 1},${EPOCH_COLUMNS.map((c) => result.epochs[c]![e]).join(',')}`,
    )
  const columns = monthColumns(tierIds, 'gini.all' in result.months)
  const m = result.months.revenue!.length
  const rows: string[] = []
  for (let i = 0; i < m; i++)
    rows.push(`${prefix},${i + 1},${columns.map((c) => result.months[c]![i]).join(',')}`)
  return { epochs: `${lines.join('\n')}\n`, months: `${rows.join('\n')}\n` }
}

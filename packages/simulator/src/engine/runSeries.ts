import { EPOCH_COLUMNS, monthColumns } from './columns.js'

/** The zeroed per-epoch and per-month series one run fills in. */
export function runSeries(
  epochs: number,
  months: number,
  tierIds: readonly string[],
  perNode = false,
): { ep: Record<string, Float64Array>; mo: Record<string, Float64Array> } {
  const ep: Record<string, Float64Array> = {}
  for (const c of EPOCH_COLUMNS) ep[c] = new Float64Array(epochs)
  const mo: Record<string, Float64Array> = {}
  for (const c of monthColumns(tierIds, perNode)) mo[c] = new Float64Array(months)
  return { ep, mo }
}

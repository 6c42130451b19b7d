import { EPOCH_COLUMNS, type RunResult } from '../engine/columns.js'
import type { EpochRecord } from '../types.js'

/** A run's epochs as records, one per epoch, with 1-based months. */
export function* epochRecords(result: RunResult): Generator<EpochRecord> {
  const n = result.epochs.revenue!.length
  for (let e = 0; e < n; e++) {
    const record = {
      variant: result.variant,
      run: result.run,
      seed: result.seed,
      epoch: e,
      month: result.monthOf[e]! + 1,
    } as EpochRecord
    for (const c of EPOCH_COLUMNS) record[c] = result.epochs[c]![e]!
    yield record
  }
}

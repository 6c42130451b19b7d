import type pg from 'pg'
import type { WriteResult } from '../ledger/types.js'
import type { CommitUnit } from '../ledger/unit.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * After the connection died while COMMIT was in flight: waits until the server has dropped that
 * session (its backend is gone, so its transaction is final), then looks one row the batch wrote
 * up. Found → every unit gets the answer it was computed with; absent → nothing committed.
 * Returns `null` when the server cannot tell within `timeoutMs`: the outcome stays unknown.
 */
export async function settleLostCommit(
  pool: pg.Pool,
  backendPid: number,
  units: CommitUnit[],
  results: WriteResult[],
  timeoutMs: number,
): Promise<{ committed: boolean } | null> {
  const i = results.findIndex((r) => r.outcome === 'committed' && !r.replayed)
  if (i < 0) return { committed: true } // the batch wrote nothing: its answers hold either way
  const unit = units[i]!
  const deadline = Date.now() + timeoutMs
  try {
    for (;;) {
      const { rows } = await pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [
        backendPid,
      ])
      if (rows.length === 0) break
      if (Date.now() > deadline) return null
      await sleep(50)
    }
    const t = unit.transfers?.[0]
    if (t)
      return {
        committed:
          (await pool.query('SELECT 1 FROM payfi_transfers WHERE id = $1', [t.id])).rows.length > 0,
      }
    if (unit.idempotency) {
      const r = await pool.query(
        'SELECT 1 FROM payfi_idempotency WHERE merchant_id = $1 AND key = $2',
        [unit.idempotency.merchantId, unit.idempotency.key],
      )
      return { committed: r.rows.length > 0 }
    }
    if (unit.payment) {
      const r = await pool.query('SELECT version FROM payfi_payments WHERE id = $1', [
        unit.payment.id,
      ])
      return { committed: (r.rows[0]?.version ?? 0) >= unit.payment.version }
    }
    return null
  } catch {
    return null
  }
}

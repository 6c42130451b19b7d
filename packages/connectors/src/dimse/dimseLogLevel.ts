/// <reference path="../types/dcmjs-dimse.d.ts" />
import { createRequire } from 'node:module'
import { z } from 'zod'

/** How much dcmjs-dimse logs, most verbose last (its `loglevel` levels). */
export const DIMSE_LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug', 'trace'] as const
export type DimseLogLevel = (typeof DIMSE_LOG_LEVELS)[number]
export const dimseLogLevelSchema = z.enum(DIMSE_LOG_LEVELS)

/** The level when nothing asks for another: warnings and errors only. */
export const DEFAULT_DIMSE_LOG_LEVEL: DimseLogLevel = 'warn'

const log: { setLevel(level: DimseLogLevel, persist?: boolean): void } = createRequire(
  import.meta.url,
)('dcmjs-dimse').log
const held = new Map<symbol, DimseLogLevel>()

function apply() {
  const rank = Math.max(...[...held.values()].map((l) => DIMSE_LOG_LEVELS.indexOf(l)))
  log.setLevel(held.size ? DIMSE_LOG_LEVELS[rank]! : DEFAULT_DIMSE_LOG_LEVEL, false)
}
// dcmjs-dimse enables every level when it loads (each PDU at INFO, on stdout): quiet it at once
apply()

/**
 * Asks dcmjs-dimse to log at `level` until the returned function is called. dcmjs-dimse has one
 * logger per process, so while several SCPs and SCUs hold levels it logs at the most verbose of
 * them (`silent` when all ask for it), and at `warn` while none holds one. `createStoreScp` holds its `logLevel` from `listen()`
 * to `close()`, each SCU request for its exchange.
 *
 * @param level - a checked `DimseLogLevel`.
 * @returns the release (calling it again does nothing).
 * @example
 * ```ts
 * const release = holdDimseLogLevel('info')
 * try { await exchange() } finally { release() }
 * ```
 */
export function holdDimseLogLevel(level: DimseLogLevel): () => void {
  const key = Symbol(level)
  held.set(key, level)
  apply()
  return () => {
    if (held.delete(key)) apply()
  }
}

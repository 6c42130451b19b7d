import { createHmac } from 'node:crypto'
import { type ActionTable, actionTable, type TableRow } from './actionTable.js'
import type { DeidentifyConfig } from './options.js'
import type { ResolvedAction } from './resolveAction.js'

/** What a batch under one key and option set shares: resolved rows and keyed digests. */
export type SharedCache = {
  resolved: Map<TableRow, ResolvedAction>
  /** message → HMAC-SHA256 hex, bounded. */
  hmac: Map<string, string>
  /** original UID → mapped UID, bounded. */
  uids: Map<string, string>
}

/** Empty caches for a batch. */
export function createSharedCache(): SharedCache {
  return { resolved: new Map(), hmac: new Map(), uids: new Map() }
}

/** What every step of one file's de-identification reads and records. */
export type DeidContext = {
  o: DeidentifyConfig
  key: Uint8Array
  table: ActionTable
  /** Original → replacement, for every UID replaced. */
  uids: Map<string, string>
  /** Tags removed (8 lower-case hex digits), nested ones included. */
  removed: string[]
  /** The top-level Patient ID and Patient's Name (alphabetic), trimmed. */
  patientId: string
  patientName: string
  /** The patient's name parts and ID, for Clean options that redact free text. */
  redact: RegExp | undefined
  /** Days dates move by under `retain.dates: 'shifted'`, else 0. */
  shift: number
  pseudonym: string | undefined
  shared: SharedCache
}

/** The context for one file, from its top-level Patient ID and Patient's Name. */
export function createContext(
  o: DeidentifyConfig,
  key: Uint8Array,
  patient: { id: string; name: string },
  shared: SharedCache = createSharedCache(),
): DeidContext {
  const words = [...patient.name.split(/[\^ =]+/), patient.id].filter((w) => w && w.length >= 3)
  return {
    o,
    key,
    table: actionTable(),
    uids: new Map(),
    removed: [],
    patientId: patient.id,
    patientName: patient.name,
    redact: words.length ? new RegExp(words.map(escapeRegExp).join('|'), 'gi') : undefined,
    shift:
      o.retain.dates === 'shifted'
        ? -(
            1 +
            (Number.parseInt(keyed(shared, key, `date-shift:${patient.id}`).slice(0, 8), 16) % 3650)
          )
        : 0,
    pseudonym: undefined,
    shared,
  }
}

/** HMAC-SHA256 of a message under the context's key, in hex; repeated messages come from the cache. */
export function keyedHex(ctx: DeidContext, message: string): string {
  return keyed(ctx.shared, ctx.key, message)
}
function keyed(shared: SharedCache, key: Uint8Array, message: string): string {
  let h = shared.hmac.get(message)
  if (h === undefined) {
    h = hmacHex(key, message)
    if (shared.hmac.size >= 100_000) shared.hmac.clear()
    shared.hmac.set(message, h)
  }
  return h
}

/** HMAC-SHA256 of a message under the key, in hex. */
export function hmacHex(key: Uint8Array, message: string): string {
  return createHmac('sha256', key).update(message).digest('hex')
}
function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

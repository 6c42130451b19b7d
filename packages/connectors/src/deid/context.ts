import { createHmac } from 'node:crypto'
import { type ActionTable, actionTable } from './actionTable.js'
import type { DeidentifyConfig } from './options.js'

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
}

/** The context for one file, from its top-level Patient ID and Patient's Name. */
export function createContext(
  o: DeidentifyConfig,
  key: Uint8Array,
  patient: { id: string; name: string },
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
      o.retain.dates === 'shifted' ? -(1 + (hmacInt(key, `date-shift:${patient.id}`) % 3650)) : 0,
    pseudonym: undefined,
  }
}

/** HMAC-SHA256 of a message under the key, in hex. */
export function hmacHex(key: Uint8Array, message: string): string {
  return createHmac('sha256', key).update(message).digest('hex')
}
function hmacInt(key: Uint8Array, message: string): number {
  return Number.parseInt(hmacHex(key, message).slice(0, 8), 16)
}
function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

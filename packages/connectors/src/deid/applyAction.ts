import { ConnectorsError } from '../errors.js'
import type { Action } from './actionTable.js'
import type { DeidContext } from './context.js'
import { dummyValue } from './dummyValue.js'
import { type Edit, type ElementView, EMPTY, KEEP, RECURSE, REMOVE } from './edit.js'
import { mapUid } from './mapUid.js'
import { pseudonymise } from './pseudonymise.js'
import { redact } from './redact.js'
import type { ResolvedAction } from './resolveAction.js'
import { shiftDates } from './shiftDates.js'

const PATIENT = new Set(['00100010', '00100020'])

/**
 * Carries out one action of Table E.1-1 on an element. Compound actions are resolved without the
 * IOD's attribute types, always to the choice that keeps any IOD valid: X/Z → Z, X/D · Z/D · X/Z/D
 * → D, X/Z/U* → U for UIDs, keep the sequence and process its items, else Z. Sequences under D, K,
 * U and C are kept and their items processed (the walk applies the table inside them).
 *
 * @returns what to do with the element.
 */
export function applyAction(el: ElementView, r: ResolvedAction, ctx: DeidContext): Edit {
  const sq = el.vr === 'SQ'
  const action: Action = r.action
  switch (action) {
    case 'K':
      return sq ? RECURSE : KEEP
    case 'X':
      return REMOVE
    case 'Z':
    case 'X/Z':
      if (sq) return EMPTY
      return PATIENT.has(el.tag) ? pseudonymise(el, ctx) : EMPTY
    case 'D':
    case 'X/D':
    case 'Z/D':
    case 'X/Z/D':
      return sq ? RECURSE : dummyValue(el, ctx)
    case 'U':
    case 'X/Z/U*':
      if (sq) return RECURSE
      if (el.vr === 'UI') return { kind: 'strings', values: el.values().map((v) => mapUid(v, ctx)) }
      return EMPTY
    case 'C':
      return clean(el, r, ctx)
    default:
      return unreachable(action)
  }
}

/** The C action of an option column. */
function clean(el: ElementView, r: ResolvedAction, ctx: DeidContext): Edit {
  if (el.vr === 'SQ') return RECURSE
  switch (r.column) {
    case 'mod':
      return shiftDates(el, ctx)
    case 'graph':
      // a bitmap (overlay, curve data) cannot be searched for names: it goes
      return el.vr === 'OB' || el.vr === 'OW' || el.vr === 'UN' ? REMOVE : redact(el, ctx)
    case 'desc':
    case 'struct':
    case 'pat':
    case 'dev':
    case 'inst':
    case 'uid':
      return redact(el, ctx)
    case 'full':
      return KEEP
    case 'priv':
    case undefined:
      // private attributes are cleaned by the safe-private list; C without an option is not in
      // the table: remove
      return REMOVE
    default:
      return unreachable(r.column)
  }
}

function unreachable(x: never): never {
  throw new ConnectorsError('CONNECTORS_INTERNAL', `no implementation for ${String(x)}`, {
    details: { action: String(x) },
  })
}

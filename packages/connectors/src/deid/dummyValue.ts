import type { DeidContext } from './context.js'
import { BINARY_NUMBER_VRS, type Edit, type ElementView } from './edit.js'
import { mapUid } from './mapUid.js'
import { pseudonymise } from './pseudonymise.js'

const DUMMY: Record<string, string> = {
  PN: 'ANONYMIZED',
  DA: '19000101',
  TM: '000000',
  DT: '19000101000000',
  IS: '0',
  DS: '0',
  AS: '000D',
}
const BULK = new Set(['OB', 'OW', 'OD', 'OF', 'OL', 'OV', 'UN'])

/**
 * The D action: a dummy value of the element's VR (PN `ANONYMIZED`, DA `19000101`, TM `000000`,
 * DT `19000101000000`, IS/DS `0`, AS `000D`, binary numbers 0, other text `ANONYMIZED`); UIDs are
 * mapped, Patient's Name pseudonymised, bulk data emptied.
 */
export function dummyValue(el: ElementView, ctx: DeidContext): Edit {
  if (el.vr === 'UI') return { kind: 'strings', values: el.values().map((v) => mapUid(v, ctx)) }
  if (el.tag === '00100010' || el.tag === '00100020') return pseudonymise(el, ctx)
  if (BINARY_NUMBER_VRS.has(el.vr)) return { kind: 'zero' }
  if (BULK.has(el.vr)) return { kind: 'empty' }
  return { kind: 'strings', values: [DUMMY[el.vr] ?? 'ANONYMIZED'] }
}

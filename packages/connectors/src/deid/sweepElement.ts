import type { DeidContext } from './context.js'
import { type Edit, type ElementView, EMPTY, KEEP, RECURSE, REMOVE, TEXT_VRS } from './edit.js'
import { mapUid } from './mapUid.js'
import { shiftDates } from './shiftDates.js'

/**
 * Defence in depth for a public element that Table E.1-1 does not list: dates, times and date-times
 * go unless the caller kept dates (shifted under Modified Dates), person names go, UIDs are mapped
 * unless the caller kept UIDs (the standard's own UIDs stay), an element whose VR is unknown goes;
 * sequences are processed item by item; a text or code element that holds the patient's own ID or
 * name parts is emptied but kept present for its module (a Patient ID under a tag the table does
 * not list is still the patient's ID); everything else is kept.
 */
export function sweepElement(el: ElementView, ctx: DeidContext): Edit {
  const dates = ctx.o.retain.dates
  switch (el.vr) {
    case 'SQ':
      return RECURSE
    case 'DA':
    case 'DT':
      return dates === 'full' ? KEEP : dates === 'shifted' ? shiftDates(el, ctx) : REMOVE
    case 'TM':
      return dates === 'none' ? REMOVE : KEEP
    case 'PN':
    case 'UN':
      return REMOVE
    case 'UI':
      if (ctx.o.retain.uids) return KEEP
      return { kind: 'strings', values: el.values().map((v) => mapUid(v, ctx)) }
    default:
      return holdsPatientIdentity(el, ctx) ? EMPTY : KEEP
  }
}

const CODE_VRS = new Set(['CS', 'AE', 'IS', 'DS', 'UR'])

/** Whether a string element's values contain the patient's ID or a part of the name. */
function holdsPatientIdentity(el: ElementView, ctx: DeidContext): boolean {
  const pattern = ctx.redact
  if (!pattern || !(TEXT_VRS.has(el.vr) || CODE_VRS.has(el.vr))) return false
  return el.values().some((v) => {
    pattern.lastIndex = 0 // the pattern is global
    return pattern.test(v)
  })
}

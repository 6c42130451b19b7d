import { type DeidContext, keyedHex } from './context.js'
import type { Edit, ElementView } from './edit.js'

/**
 * Patient ID (0010,0020) and Patient's Name (0010,0010) become a keyed pseudonym,
 * `BTT-` and 16 hex digits of HMAC-SHA256 of the patient ID (the name's gets `^PSEUDONYM`), the
 * same for the same patient and key; recorded in the vault when there is one.
 */
export function pseudonymise(el: ElementView, ctx: DeidContext): Edit {
  const isId = el.tag === '00100020'
  const original = isId ? ctx.patientId : (el.values()[0] ?? '').trim()
  if (!original) return { kind: 'empty' }
  ctx.pseudonym ??= `BTT-${keyedHex(ctx, `patient:${ctx.patientId || original}`)
    .slice(0, 16)
    .toUpperCase()}`
  // the vault keys on the pseudonym, so the name's differs from the ID's
  const value = isId ? ctx.pseudonym : `${ctx.pseudonym}^PSEUDONYM`
  ctx.o.vault?.record(isId ? 'patient-id' : 'patient-name', value, original)
  return { kind: 'strings', values: [value] }
}

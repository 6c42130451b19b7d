import type { DeidContext } from './context.js'
import { type Edit, type ElementView, KEEP, TEXT_VRS } from './edit.js'

/** Free text with the patient's name parts and ID replaced by `[REDACTED]` (the Clean options). */
export function redact(el: ElementView, ctx: DeidContext): Edit {
  const pattern = ctx.redact
  if (!pattern || !TEXT_VRS.has(el.vr)) return KEEP
  const values = el.values()
  const cleaned = values.map((v) => v.replace(pattern, '[REDACTED]'))
  return cleaned.some((v, i) => v !== values[i]) ? { kind: 'strings', values: cleaned } : KEEP
}

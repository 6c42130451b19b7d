import type { DeidContext } from './context.js'
import type { Edit, ElementView } from './edit.js'

/**
 * Moves DA and DT values (ranges too) by the patient's `ctx.shift` days; times are kept
 * (Retain Longitudinal Temporal Information with Modified Dates).
 */
export function shiftDates(el: ElementView, ctx: DeidContext): Edit {
  if (el.vr !== 'DA' && el.vr !== 'DT') return { kind: 'keep' }
  return {
    kind: 'strings',
    values: el.values().map((v) =>
      el.vr === 'DA'
        ? v
            .split('-')
            .map((d) => shiftOne(d, ctx.shift))
            .join('-')
        : shiftOne(v, ctx.shift),
    ),
  }
}

function shiftOne(s: string, days: number): string {
  const m = /^(\d{4})(\d{2})(\d{2})(.*)$/.exec(s)
  if (!m) return s
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * 86_400_000)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${m[4]}`
}

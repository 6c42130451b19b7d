import { type DeidContext, keyedHex } from './context.js'

const STANDARD_ROOT = '1.2.840.10008.'

/**
 * The keyed replacement of a UID: `2.25.` and 128 bits of HMAC-SHA256 of the UID, the same for the
 * same UID and key, so a study stays consistent across files. The standard's own UIDs (SOP classes,
 * transfer syntaxes, coding schemes: root 1.2.840.10008) identify no one and are kept.
 *
 * @param uid - the original (trailing NUL and spaces ignored).
 * @param ctx - records the mapping in `ctx.uids`.
 */
export function mapUid(uid: string, ctx: DeidContext): string {
  const clean = uid.replace(/[\0 ]+$/, '').trim()
  if (!clean || clean.startsWith(STANDARD_ROOT)) return clean
  let mapped = ctx.uids.get(clean)
  if (mapped) return mapped
  mapped = ctx.shared.uids.get(clean)
  if (!mapped) {
    mapped = `2.25.${BigInt(`0x${keyedHex(ctx, `uid:${clean}`).slice(0, 32)}`).toString()}`
    if (ctx.shared.uids.size >= 100_000) ctx.shared.uids.clear()
    ctx.shared.uids.set(clean, mapped)
  }
  ctx.uids.set(clean, mapped)
  return mapped
}

/** Whether a UID value is the standard's (kept) rather than an instance's (mapped). */
export function isStandardUid(uid: string): boolean {
  return uid.startsWith(STANDARD_ROOT)
}

import type { DeidentifyConfig } from './options.js'

/**
 * Whether a private element is kept under the Retain Safe Private option: its block's creator and
 * its element byte are on the caller's safe list (a creator element is kept when any element of its
 * block is). Group lengths and elements (gggg,0001–000F) never are.
 *
 * @param tag - 8 lower-case hex digits, odd group.
 * @param creatorOf - the creator of a block (0x10–0xFF) in the same data set.
 */
export function isSafePrivate(
  tag: string,
  creatorOf: (block: number) => string | undefined,
  o: DeidentifyConfig,
): boolean {
  const rules = o.retain.safePrivate
  if (!rules.length) return false
  const group = tag.slice(0, 4)
  const element = Number.parseInt(tag.slice(4), 16)
  if (element < 0x10) return false
  if (element <= 0xff) {
    const creator = creatorOf(element)
    return rules.some((r) => r.group.toLowerCase() === group && r.creator === creator)
  }
  const creator = creatorOf((element >> 8) & 0xff)
  const low = tag.slice(6)
  return rules.some(
    (r) =>
      r.group.toLowerCase() === group && r.creator === creator && r.element.toLowerCase() === low,
  )
}

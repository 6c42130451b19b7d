/** An element as the action steps see it: its tag, its VR and its values as text. */
export type ElementView = {
  /** 8 lower-case hex digits. */
  tag: string
  /** The VR (for an explicit `UN`, the dictionary's when known). */
  vr: string
  /** The values as text (latin1, so bytes survive), trailing padding removed. */
  values(): string[]
}

/** What a step decides for one element. */
export type Edit =
  /** copied as it is */
  | { kind: 'keep' }
  | { kind: 'remove' }
  /** zero length */
  | { kind: 'empty' }
  /** a sequence whose items are processed in turn */
  | { kind: 'recurse' }
  /** new text values */
  | { kind: 'strings'; values: string[] }
  /** one binary value of zero (US, SL, FD, AT, …) */
  | { kind: 'zero' }

export const KEEP: Edit = { kind: 'keep' }
export const REMOVE: Edit = { kind: 'remove' }
export const EMPTY: Edit = { kind: 'empty' }
export const RECURSE: Edit = { kind: 'recurse' }

/** VRs whose values are free text that a Clean option may redact. */
export const TEXT_VRS = new Set(['LO', 'LT', 'SH', 'ST', 'UT', 'UC', 'PN'])
/** Binary numeric VRs: a dummy is one zero value. */
export const BINARY_NUMBER_VRS = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV', 'AT'])

import { rowFor, type TableRow } from './actionTable.js'
import { applyAction } from './applyAction.js'
import type { DeidContext } from './context.js'
import { type Edit, type ElementView, REMOVE } from './edit.js'
import type { DicomNode, ParsedDicom } from './parseDataset.js'
import { type ResolvedAction, resolveAction } from './resolveAction.js'
import { isSafePrivate } from './safePrivate.js'
import { sweepElement } from './sweepElement.js'
import { vrOf } from './vrDictionary.js'

/** An element of the output: the input node it comes from (if any), what to do, its items. */
export type OutElement = {
  tag: number
  /** The element's VR (for an input `UN`, the dictionary's when known). */
  vr: string
  edit: Edit
  node?: DicomNode
  items?: OutElement[][]
}

const HEX = new Map<number, string>()
/** 8 lower-case hex digits, cached (a file has few distinct tags). */
export function tagHex(tag: number): string {
  let h = HEX.get(tag)
  if (!h) {
    h = tag.toString(16).padStart(8, '0')
    if (HEX.size < 65_536) HEX.set(tag, h)
  }
  return h
}

/**
 * Decides every element of a data set, items of sequences included: private elements by the
 * safe-private list, group lengths removed, listed attributes by Table E.1-1 under the options
 * ({@link resolveAction}, {@link applyAction}), the rest by the defence-in-depth sweep
 * ({@link sweepElement}). Removed tags are recorded in `ctx.removed`.
 */
export function walkDataset(nodes: DicomNode[], p: ParsedDicom, ctx: DeidContext): OutElement[] {
  const out: OutElement[] = []
  const resolved = ctx.shared.resolved
  let creators: Map<number, string> | undefined
  for (const node of nodes) {
    const tag = node.tag
    const hex = tagHex(tag)
    const group = tag >>> 16
    let edit: Edit
    let vr = node.vr
    if (group % 2 === 1) {
      creators ??= creatorsOf(nodes, p, group)
      edit = isSafePrivate(hex, (block) => creators?.get(((group << 16) | block) >>> 0), ctx.o)
        ? { kind: 'keep' }
        : REMOVE
    } else if ((tag & 0xffff) === 0)
      edit = REMOVE // group lengths: stale once anything changes
    else {
      if (vr === 'UN') vr = vrOf(tag) ?? 'UN'
      const view = viewOf(hex, vr, node, p)
      const row = rowFor(ctx.table, hex)
      edit = row ? applyAction(view, resolvedFor(row, resolved, ctx), ctx) : sweepElement(view, ctx)
      // a sequence read as UN keeps its implicit-VR items: it cannot be copied into another syntax
      if (edit.kind === 'recurse' && (!node.items || node.vr === 'UN')) edit = REMOVE
    }
    if (edit.kind === 'remove') {
      ctx.removed.push(hex)
      continue
    }
    const el: OutElement = { tag, vr, edit, node }
    if (edit.kind === 'recurse') el.items = node.items!.map((item) => walkDataset(item, p, ctx))
    out.push(el)
  }
  return out
}

/** The element's text values: latin1, so every byte survives a round trip. */
export function viewOf(tag: string, vr: string, node: DicomNode, p: ParsedDicom): ElementView {
  return {
    tag,
    vr,
    values: () => {
      const s = p.bytes
        .toString('latin1', node.value, node.value + node.length)
        .replace(/[\0 ]+$/, '')
      return s === '' ? [] : s.split('\\')
    },
  }
}

function creatorsOf(nodes: DicomNode[], p: ParsedDicom, group: number): Map<number, string> {
  const m = new Map<number, string>()
  for (const n of nodes)
    if (n.tag >>> 16 === group && (n.tag & 0xffff) >= 0x10 && (n.tag & 0xffff) <= 0xff)
      m.set(n.tag, p.bytes.toString('latin1', n.value, n.value + n.length).trim())
  return m
}

function resolvedFor(row: TableRow, m: Map<TableRow, ResolvedAction>, ctx: DeidContext) {
  let r = m.get(row)
  if (!r) {
    r = resolveAction(row, ctx.o)
    m.set(row, r)
  }
  return r
}

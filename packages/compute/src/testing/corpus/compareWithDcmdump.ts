import type { DumpElement } from './readDcmdump.js'

/** A dcmjs element (`DicomMessage.readFile(...).dict`), as the readers see it. */
export type DcmjsElement = { vr: string; Value?: unknown[]; InlineBinary?: string }
export type DcmjsDataset = Record<string, DcmjsElement>

const STRING_VRS = new Set('AE AS CS DA DT LO LT SH ST TM UC UI UR UT'.split(' '))
const NUMBER_VRS = new Set('US SS UL SL FL FD SV UV DS IS'.split(' '))
const BYTE_VRS = new Set(['OB', 'UN', '??'])

/**
 * Differences between what dcmdump read and what dcmjs read, element by element at every
 * sequence depth: the set of tags, each VR (dcmdump's `??` is `UN`), string and number values
 * (numbers compared as numbers, FL to 6 significant digits), person names, the bytes of OB and UN
 * values other than Pixel Data, and each sequence's items. Trailing zero padding, which dcmtk
 * prints as an empty (0000,0000), is not an element.
 *
 * @returns one line per difference; empty when both read the same.
 */
export function compareWithDcmdump(
  dump: readonly DumpElement[],
  ours: DcmjsDataset,
  at = '',
): string[] {
  const problems: string[] = []
  const theirs = new Map(dump.map((e) => [e.tag, e]))
  for (const tag of Object.keys(ours))
    if (!theirs.has(tag.toUpperCase())) problems.push(`${at}${tag}: read by BTT, not by dcmdump`)
  for (const d of dump) {
    // trailing zero padding, which dcmtk reads as an empty (0000,0000) and BTT leaves out
    if (!at && d.tag === '00000000' && d.value === '' && !ours['00000000']) continue
    const where = `${at}${d.tag}`
    const el = ours[d.tag] ?? ours[d.tag.toLowerCase()]
    if (!el) {
      problems.push(`${where}: read by dcmdump (${d.vr} ${d.value.slice(0, 40)}), not by BTT`)
      continue
    }
    const vr = d.vr === '??' ? 'UN' : d.vr
    // encapsulated Pixel Data is OB (PS3.5 A.4); dcmtk prints OB whatever the file says, and
    // dcmjs-codecs writes OW: the file's VR, which dcmjs keeps, is the one compared
    const encapsulatedOw = d.fragments !== undefined && el.vr === 'OW'
    if (el.vr !== vr && !encapsulatedOw) problems.push(`${where}: VR ${el.vr}, dcmdump ${vr}`)
    // dcmjs decodes text into Unicode and says so: (0008,0005) becomes ISO_IR 192
    if (d.tag === '00080005' && el.Value?.[0] === 'ISO_IR 192') continue
    if (d.items) {
      const items = (el.Value ?? []) as DcmjsDataset[]
      if (items.length !== d.items.length)
        problems.push(`${where}: ${items.length} items, dcmdump ${d.items.length}`)
      d.items.forEach((item, i) => {
        problems.push(...compareWithDcmdump(item, items[i] ?? {}, `${where}[${i}].`))
      })
      continue
    }
    const problem = compareValue(d, el)
    if (problem) problems.push(`${where}: ${problem}`)
  }
  return problems
}

function compareValue(d: DumpElement, el: DcmjsElement): string | undefined {
  const values = el.Value ?? []
  if (d.vr === 'PN') {
    const ours = values
      .map((v) => (typeof v === 'string' ? v : personName(v as Record<string, string>)))
      .join('\\')
    return ours === d.value ? undefined : `value "${ours}", dcmdump "${d.value}"`
  }
  if (STRING_VRS.has(d.vr)) {
    const ours = values.map((v) => String(v ?? '')).join('\\')
    return ours.trimEnd() === d.value.trimEnd()
      ? undefined
      : `value "${ours}", dcmdump "${d.value}"`
  }
  if (NUMBER_VRS.has(d.vr)) {
    const theirs = d.value === '' ? [] : d.value.split('\\').map(Number)
    const ours = values.map(Number)
    const same =
      ours.length === theirs.length && ours.every((v, i) => close(v, theirs[i]!, d.vr === 'FL'))
    return same ? undefined : `value ${ours.join('\\')}, dcmdump ${d.value}`
  }
  if (BYTE_VRS.has(d.vr) && d.tag !== '7FE00010' && !d.value.startsWith('(')) {
    const buffer = values[0]
    const ours =
      buffer instanceof ArrayBuffer
        ? [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('\\')
        : ''
    return ours === d.value ? undefined : `bytes ${ours}, dcmdump ${d.value}`
  }
  return undefined
}

function personName(v: Record<string, string>): string {
  return [v.Alphabetic ?? '', v.Ideographic ?? '', v.Phonetic ?? ''].join('=').replace(/=+$/, '')
}

function close(a: number, b: number, single: boolean): boolean {
  if (a === b) return true
  return single && Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b))
}

import assert from 'node:assert'
import { execFileSync } from 'node:child_process'

/** One element as `dcmdump` prints it. */
export type DumpElement = {
  /** `GGGGEEEE`, upper case. */
  tag: string
  /** As printed: `??` for an unknown VR, `na`/`pi` never (items are folded into `items`/`fragments`). */
  vr: string
  /** The printed value: the text between brackets for strings, else as printed. */
  value: string
  items?: DumpElement[][]
  /** Encapsulated pixel data: how many items (offset table and fragments). */
  fragments?: number
}

/** What `dcmdump` read: the dataset's transfer syntax and its elements (no file meta). */
export type DumpTree = { transferSyntax: string; elements: DumpElement[] }

/**
 * Runs dcmtk's `dcmdump` on a file and parses what it prints into a tree. Throws (with dcmdump's
 * messages) when dcmdump does not read the file without error.
 *
 * @param dcmdump - the tool's path.
 * @param path - the file.
 */
export function dcmdumpTree(dcmdump: string, path: string): DumpTree {
  const text = execFileSync(dcmdump, ['-q', '-Un', '+L', '+Qo', path], {
    encoding: 'utf8',
    stdio: 'pipe',
  })
  return parseDcmdump(text)
}

const LINE = /^( *)\(([0-9a-f]{4}),([0-9a-f]{4})\) (\S\S) (.*)$/

/** `dcmdump -Un +L +Qo` output as a tree. */
export function parseDcmdump(text: string): DumpTree {
  const top: DumpElement[] = []
  const stack: DumpElement[][] = [top]
  let transferSyntax = ''
  let inMeta = false
  for (const line of text.split('\n')) {
    if (line.startsWith('# Dicom-Meta-Information-Header')) inMeta = true
    if (line.startsWith('# Dicom-Data-Set')) inMeta = false
    const ts = /^# Used TransferSyntax: (.*)$/.exec(line)
    if (ts && !inMeta) transferSyntax = ts[1]!.trim()
    const m = LINE.exec(line)
    if (!m || inMeta) continue
    const indent = m[1]!.length
    const group = m[2]!.toUpperCase()
    const element = m[3]!.toUpperCase()
    const rest = m[5]!
    const printed = rest.slice(0, rest.lastIndexOf('#')).trimEnd()
    const level = Math.floor(indent / 4)
    if (group === 'FFFE') {
      if (element !== 'E000') continue
      const parent = stack[level]?.at(-1)
      if (!parent) assert.fail(`dcmdump output: an item with no sequence: ${line}`)
      if (parent.fragments !== undefined) parent.fragments++
      else {
        const item: DumpElement[] = []
        parent.items?.push(item)
        stack.length = level + 1
        stack.push(item)
      }
      continue
    }
    stack.length = level + 1
    const value =
      printed.startsWith('[') && printed.endsWith(']')
        ? printed.slice(1, -1)
        : printed === '(no value available)'
          ? ''
          : printed
    const el: DumpElement = { tag: `${group}${element}`, vr: m[4]!, value }
    if (m[4] === 'SQ') el.items = []
    if (printed.startsWith('(PixelSequence')) el.fragments = 0
    stack[level]!.push(el)
  }
  return { transferSyntax, elements: top }
}

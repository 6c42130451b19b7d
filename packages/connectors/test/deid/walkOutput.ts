/// <reference path="../../src/types/dcmjs.d.ts" />
import dcmjs from 'dcmjs'

export type Visited = { tag: string; vr: string; values: string[]; depth: number; path: string }

type El = { vr: string; Value?: unknown[] }

/** Every element of a file, at every sequence depth, as dcmjs (an independent reader) reads it. */
export function walkOutput(bytes: Uint8Array): Visited[] {
  const dict = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  )
  const out: Visited[] = []
  const walk = (ds: Record<string, El>, depth: number, path: string) => {
    for (const [tag, el] of Object.entries(ds)) {
      const here = `${path}/${tag.toLowerCase()}`
      if (el.vr === 'SQ') {
        out.push({ tag: tag.toLowerCase(), vr: 'SQ', values: [], depth, path: here })
        for (const [i, item] of ((el.Value ?? []) as Record<string, El>[]).entries())
          walk(item, depth + 1, `${here}[${i}]`)
        continue
      }
      const values = (el.Value ?? []).map((v) =>
        typeof v === 'object' && v !== null && 'Alphabetic' in v
          ? String((v as { Alphabetic: string }).Alphabetic)
          : v instanceof ArrayBuffer
            ? `<${v.byteLength} bytes>`
            : String(v),
      )
      out.push({ tag: tag.toLowerCase(), vr: el.vr, values, depth, path: here })
    }
  }
  walk(dict.dict as Record<string, El>, 0, '')
  return out
}

import { readFileSync } from 'node:fs'
import { standardFile } from './standardFile.js'

let vrs: Map<number, string> | undefined

/**
 * The VR of a public data element (DICOM PS3.6, `standard/ps3.6-vr-dictionary.txt`), needed for
 * files in implicit VR, which do not carry it; undefined for private and unknown tags. Read once,
 * on the first implicit-VR file.
 */
export function vrOf(tag: number): string | undefined {
  if (!vrs) {
    vrs = new Map()
    for (const line of readFileSync(standardFile('ps3.6-vr-dictionary.txt'), 'latin1').split('\n'))
      if (line && line[0] !== '#') vrs.set(Number.parseInt(line.slice(0, 8), 16), line.slice(9, 11))
  }
  const vr = vrs.get(tag)
  if (vr) return vr
  const group = tag >>> 16
  // repeating groups 50xx and 60xx are listed under 5000 and 6000
  if ((group & 0xff00) === 0x5000 || (group & 0xff00) === 0x6000)
    return vrs.get((((group & 0xff00) << 16) | (tag & 0xffff)) >>> 0)
  return undefined
}

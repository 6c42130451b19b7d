import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tool } from '@btt/testing'
import { afterAll, describe, expect, test } from 'vitest'
import { deidentify } from '../../src/deid/deidentify.js'
import { parseDataset } from '../../src/deid/parseDataset.js'
import { part10 } from './encode.js'
import { everyAttribute, ORIGINAL, UID_ROOT } from './fixtures.js'
import { walkOutput } from './walkOutput.js'

const dcmconv = tool('dcmconv', 'dcmtk')
const dcmdump = tool('dcmdump', 'dcmtk')
const dir = mkdtempSync(join(tmpdir(), 'btt-deid-ts-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const key = new TextEncoder().encode('transfer syntaxes')

// dcmtk writes the fixture in each transfer syntax; de-identified, dcmtk reads it back cleanly.
describe.skipIf(!dcmconv || !dcmdump)('every native transfer syntax, written by dcmtk', () => {
  const source = join(dir, 'source.dcm')
  writeFileSync(
    source,
    part10(everyAttribute(), { explicit: true, sopInstanceUid: `${UID_ROOT}0` }),
  )
  for (const [flag, ts, name] of [
    ['+te', '1.2.840.10008.1.2.1', 'explicit VR little endian'],
    ['+ti', '1.2.840.10008.1.2', 'implicit VR little endian'],
    ['+tb', '1.2.840.10008.1.2.2', 'explicit VR big endian'],
    ['+td', '1.2.840.10008.1.2.1.99', 'deflated explicit VR little endian'],
  ] as const)
    test(name, () => {
      const file = join(dir, `${flag.slice(1)}.dcm`)
      execFileSync(dcmconv!, [flag, source, file])
      const input = readFileSync(file)
      expect(parseDataset(input, { file, maxDepth: 32 }).transferSyntax).toBe(ts)
      const { bytes } = deidentify(input, { key, file })
      const out = join(dir, `${flag.slice(1)}-deid.dcm`)
      writeFileSync(out, bytes)
      const dump = execFileSync(dcmdump!, ['-q', '+E', out], { encoding: 'utf8' })
      expect(dump).toMatch(/\(0012,0063\) LO \[DICOM PS3\.15 2024b/)
      for (const s of [ORIGINAL.DA, ORIGINAL.PN, UID_ROOT]) expect(dump).not.toContain(s)
      // deflated input comes back as explicit VR little endian, named so in the meta
      if (flag === '+td') expect(dump).toMatch(/\(0002,0010\) UI =LittleEndianExplicit/)
      if (flag !== '+tb') expect(walkOutput(bytes).length).toBeGreaterThan(400)
    })
})

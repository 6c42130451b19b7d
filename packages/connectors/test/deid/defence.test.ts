import { describe, expect, test } from 'vitest'
import { actionTable, rowFor } from '../../src/deid/actionTable.js'
import { deidentify } from '../../src/deid/deidentify.js'
import { type DeidentifyOptions, deidentifyOptionsSchema } from '../../src/deid/options.js'
import { resolveAction } from '../../src/deid/resolveAction.js'
import { part10 } from './encode.js'
import { everyAttribute, ORIGINAL, UID_ROOT } from './fixtures.js'
import { walkOutput } from './walkOutput.js'

const key = new TextEncoder().encode('defence in depth')
const files = {
  'explicit VR, defined lengths': part10(everyAttribute(), {
    explicit: true,
    sopInstanceUid: `${UID_ROOT}0`,
  }),
  'explicit VR, undefined lengths': part10(everyAttribute(), {
    explicit: true,
    undefinedLengths: true,
    sopInstanceUid: `${UID_ROOT}0`,
  }),
  'implicit VR, undefined lengths': part10(everyAttribute(), {
    explicit: false,
    undefinedLengths: true,
    sopInstanceUid: `${UID_ROOT}0`,
  }),
}

const OPTION_SETS: Record<string, Omit<DeidentifyOptions, 'key'>> = {
  'Basic Profile': {},
  'clean descriptors, structured content, graphics': {
    clean: { descriptors: true, structuredContent: true, graphics: true },
  },
  'retain device, institution, patient characteristics': {
    retain: { device: true, institution: true, patientCharacteristics: true },
  },
  'retain modified dates': { retain: { dates: 'shifted' } },
  'retain full dates': { retain: { dates: 'full' } },
  'retain UIDs': { retain: { uids: true } },
}

const DUMMY: Record<string, RegExp> = {
  DA: /^(19000101)?$/,
  DT: /^(19000101000000)?$/,
  TM: /^(000000)?$/,
  PN: /^(ANONYMIZED|BTT-[0-9A-F]{16}(\^PSEUDONYM)?)?$/,
  UI: /^(2\.25\.\d+|1\.2\.840\.10008\.[\d.]+)$/,
}

describe('defence in depth: after the profile, no date, time, name or UID survives', () => {
  for (const [optionsName, options] of Object.entries(OPTION_SETS))
    for (const [fileName, file] of Object.entries(files))
      test(`${optionsName} — ${fileName}`, () => {
        const o = deidentifyOptionsSchema.parse({ ...options, key })
        // what an option the caller chose keeps explicitly (K) or cleans in place (C)
        const kept = (tag: string) => {
          const row = rowFor(actionTable(), tag)
          return row !== undefined && ['K', 'C'].includes(resolveAction(row, o).action)
        }
        const { bytes, uids } = deidentify(file, { ...options, key })
        const all = walkOutput(bytes)
        expect(Math.max(...all.map((e) => e.depth))).toBeGreaterThanOrEqual(3)
        const mapped = new Set(uids.values())
        let checked = 0
        for (const e of all) {
          expect(Number.parseInt(e.tag.slice(0, 4), 16) % 2, `${e.path} is private`).toBe(0)
          const pattern = DUMMY[e.vr]
          if (!pattern) continue
          checked++
          if (kept(e.tag)) continue
          for (const v of e.values) {
            if (e.vr === 'UI' && o.retain.uids) continue
            if (['DA', 'DT', 'TM'].includes(e.vr) && o.retain.dates === 'full') continue
            if (e.vr === 'TM' && o.retain.dates === 'shifted') continue
            if ((e.vr === 'DA' || e.vr === 'DT') && o.retain.dates === 'shifted') {
              expect(v.startsWith(ORIGINAL.DA), `${e.path} ${e.vr} [${v}] not shifted`).toBe(false)
              continue
            }
            expect(v, `${e.path} ${e.vr} survived`).toMatch(pattern)
            if (e.vr === 'UI' && v.startsWith('2.25.')) expect(mapped.has(v)).toBe(true)
          }
        }
        expect(checked).toBeGreaterThan(100)
        if (!o.retain.uids && o.retain.dates === 'none' && !o.retain.device) {
          const text = Buffer.from(bytes).toString('latin1')
          for (const s of [ORIGINAL.DA, ORIGINAL.PN, UID_ROOT]) expect(text).not.toContain(s)
        }
      })
})

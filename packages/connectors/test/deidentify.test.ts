import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeDicom, transcodeDicom } from '@btt/compute'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { tool } from '@btt/testing'
import { afterAll, describe, expect, test } from 'vitest'
import { deidentify } from '../src/deid/deidentify.js'
import { reidentify } from '../src/deid/reidentify.js'
import { openVault } from '../src/deid/vault.js'
import { ConnectorsError } from '../src/errors.js'
import { datasetOf, identifyingInstance, PATIENT, value, withPrivateBlock } from './fixtures.js'
import { actionTable, resolveForTest } from './table-helpers.js'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-deid-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const key = new TextEncoder().encode('test key: not a secret')
const STUDY = '1.2.826.0.1.3680043.10.1398.100'
const instance = (n: number) =>
  withPrivateBlock(
    identifyingInstance({ study: STUDY, series: `${STUDY}.1`, sop: `${STUDY}.1.${n}`, seed: n }),
  )

/** Every identifying value of the fixture, as text that must not survive anywhere in the bytes. */
const IDENTIFYING = [
  'Zhang',
  'Wei',
  PATIENT.id,
  PATIENT.birth,
  'Shanghai General',
  'Haining Road',
  'DX-ROOM-3',
  'SN-998877',
  'Li^Hua',
  'Chen^Jie',
  '555-0100',
  STUDY,
  '1.2.826.0.1.3680043.10.1398.7.42',
  '20260301',
]

function contains(bytes: Uint8Array, s: string) {
  return Buffer.from(bytes).includes(Buffer.from(s, 'latin1'))
}

describe('Basic Application Level Confidentiality Profile', () => {
  test('no identifying value of the profile survives anywhere, nested sequences and private tags included', () => {
    const original = instance(1)
    for (const s of IDENTIFYING) expect(contains(original, s), s).toBe(true)
    const { bytes, removed } = deidentify(original, { key })
    for (const s of IDENTIFYING) expect(contains(bytes, s), `${s} survived`).toBe(false)
    const { dict, meta } = datasetOf(bytes)
    expect(value(dict, '00120062')).toBe('YES') // Patient Identity Removed
    expect(value(dict, '00120063')).toMatch(/PS3\.15/)
    const codes = (dict['00120064']!.Value as Record<string, { Value: string[] }>[]).map(
      (i) => i['00080100']!.Value[0],
    )
    expect(codes).toEqual(['113100'])
    expect(value(dict, '00280303')).toBe('REMOVED')
    // pseudonyms and zero-length values where the table says Z
    expect(value(dict, '00100020')).toMatch(/^BTT-[0-9A-F]{16}$/)
    expect(value(dict, '00100010')).toBe(`${value(dict, '00100020')}^PSEUDONYM`)
    expect(value(dict, '00100030') ?? '').toBe('') // birth date Z: zero length
    expect(dict['00081110']?.Value).toEqual([]) // Referenced Study Sequence X/Z: empty
    expect(dict['00080080']?.Value).toEqual(['ANONYMIZED']) // institution name X/Z/D → D
    expect(removed).toEqual(
      expect.arrayContaining(['00080081', '00091001', '00090010', '00081030']),
    )
    // UIDs replaced with 2.25 UIDs; the file meta follows the SOP Instance UID
    const sop = String(value(dict, '00080018'))
    expect(sop).toMatch(/^2\.25\.\d+$/)
    expect(value(meta, '00020003')).toBe(sop)
    expect(value(dict, '00080016')).toBe('1.2.840.10008.5.1.4.1.1.1.1') // SOP Class kept
  })

  test('pixel data is untouched', async () => {
    const original = instance(2)
    const { bytes } = deidentify(original, { key })
    const a = await decodeDicom(original)
    const b = await decodeDicom(bytes)
    expect(b.frames[0]).toEqual(a.frames[0])
    // byte for byte: the Pixel Data element (header + 128×128×2 bytes) ends both files
    const tail = 12 + 128 * 128 * 2
    expect(Buffer.from(bytes.subarray(-tail)).equals(Buffer.from(original.subarray(-tail)))).toBe(
      true,
    )
  })

  test('compressed (RLE, JPEG-LS), multi-frame and MONOCHROME1 files: pixels decode identically afterwards', async () => {
    const frames = [1, 2, 3].map((seed) => syntheticChest({ seed, size: 128 }))
    const native = writeDicom({
      frames,
      rows: 128,
      columns: 128,
      photometric: 'MONOCHROME1',
      patientName: 'Zhang^Wei',
    })
    for (const file of [
      native,
      await transcodeDicom(native, '1.2.840.10008.1.2.5'),
      await transcodeDicom(native, '1.2.840.10008.1.2.4.80'),
    ]) {
      const { bytes } = deidentify(file, { key })
      expect(contains(bytes, 'Zhang')).toBe(false)
      const a = await decodeDicom(file)
      const b = await decodeDicom(bytes)
      expect(b.photometricInterpretation).toBe('MONOCHROME1')
      expect(b.frames).toHaveLength(3)
      for (let f = 0; f < 3; f++) expect(b.frames[f]).toEqual(a.frames[f])
    }
  })

  test('UIDs are replaced consistently across a study, and differ with another key', () => {
    const a = datasetOf(deidentify(instance(1), { key }).bytes).dict
    const b = datasetOf(deidentify(instance(2), { key }).bytes).dict
    expect(value(a, '0020000d')).toBe(value(b, '0020000d')) // study
    expect(value(a, '0020000e')).toBe(value(b, '0020000e')) // series
    expect(value(a, '00080018')).not.toBe(value(b, '00080018')) // instances differ
    expect(value(a, '00100020')).toBe(value(b, '00100020')) // same patient pseudonym
    const other = datasetOf(
      deidentify(instance(1), { key: new TextEncoder().encode('another key') }).bytes,
    ).dict
    expect(value(other, '0020000d')).not.toBe(value(a, '0020000d'))
    // references inside sequences use the same mapping
    const ref = (a['00081140']!.Value as Record<string, { Value: string[] }>[])[0]!['00081155']!
      .Value[0]
    expect(ref).toBe(value(b, '00080018')) // image 1 references image 2, through the same mapping
  })
})

describe('options', () => {
  test('retain UIDs, full dates, device and institution identity, patient characteristics', () => {
    const { bytes } = deidentify(instance(1), {
      key,
      retain: {
        uids: true,
        dates: 'full',
        device: true,
        institution: true,
        patientCharacteristics: true,
      },
    })
    const { dict } = datasetOf(bytes)
    expect(value(dict, '0020000d')).toBe(STUDY)
    expect(value(dict, '00080020')).toBe('20260301')
    expect(value(dict, '00081010')).toBe('DX-ROOM-3')
    expect(value(dict, '00181000')).toBe('SN-998877')
    expect(value(dict, '00080080')).toBe('Shanghai General Hospital')
    expect(value(dict, '00100040')).toBe('F')
    expect(value(dict, '00101010')).toBe('061Y')
    expect(value(dict, '00280303')).toBe('UNMODIFIED')
    const codes = (dict['00120064']!.Value as Record<string, { Value: string[] }>[]).map(
      (i) => i['00080100']!.Value[0],
    )
    expect(codes).toEqual(['113100', '113106', '113108', '113109', '113110', '113112'])
    // still gone: the patient
    expect(contains(bytes, 'Zhang')).toBe(false)
    expect(contains(bytes, PATIENT.id)).toBe(false)
  })

  test('shifted dates move every date of a patient by the same days; times stay', () => {
    const a = deidentify(instance(1), { key, retain: { dates: 'shifted' } })
    const b = deidentify(instance(2), { key, retain: { dates: 'shifted' } })
    expect(a.dateShiftDays).toBe(b.dateShiftDays)
    expect(a.dateShiftDays).toBeLessThan(0)
    const ds = datasetOf(a.bytes).dict
    const expected = new Date(Date.UTC(2026, 2, 1) + a.dateShiftDays * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replaceAll('-', '')
    expect(value(ds, '00080020')).toBe(expected)
    expect(value(ds, '0008002a')).toBe(`${expected}101500`)
    expect(value(ds, '00080030')).toBe('101500')
    expect(value(ds, '00280303')).toBe('MODIFIED')
  })

  test('clean descriptors keeps descriptions but redacts the patient', () => {
    const { dict } = datasetOf(deidentify(instance(1), { key, clean: { descriptors: true } }).bytes)
    expect(value(dict, '00081030')).toBe('Chest PA for [REDACTED] [REDACTED], [REDACTED]')
    expect(value(dict, '0008103e')).toBe('PA view')
    const nested = (dict['00400275']!.Value as Record<string, { Value: string[] }>[])[0]!
    expect(nested['00401002']!.Value[0]).toBe('cough, patient [REDACTED]')
  })

  test('safe private attributes are kept with their creator; others go', () => {
    const { dict } = datasetOf(
      deidentify(instance(1), {
        key,
        retain: { safePrivate: [{ group: '0009', creator: 'ACME 1.0', element: '02' }] },
      }).bytes,
    )
    expect(value(dict, '00090010')).toBe('ACME 1.0')
    expect(value(dict, '00091002')).toBe(1.5)
    expect(dict['00091001']).toBeUndefined()
  })
})

describe('the vault and re-identification', () => {
  test('a result referencing de-identified UIDs is re-identified to the originals', () => {
    const vault = openVault(join(tmp(), 'vault.sqlite'))
    const deid = deidentify(instance(1), { vault })
    const d = datasetOf(deid.bytes).dict
    // a "remote" result about the de-identified image: same patient, study, a reference to the image
    const result = writeDicom({
      frames: [new Uint16Array(4)],
      rows: 2,
      columns: 2,
      studyInstanceUid: String(value(d, '0020000d')),
      patientId: String(value(d, '00100020')),
      patientName: String(value(d, '00100010')),
      extra: {
        ReferencedImageSequence: [
          {
            ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.1.1',
            ReferencedSOPInstanceUID: String(value(d, '00080018')),
          },
        ],
      },
    })
    const back = reidentify(result, { vault })
    const r = datasetOf(back.bytes).dict
    expect(value(r, '0020000d')).toBe(STUDY)
    expect(value(r, '00100020')).toBe(PATIENT.id)
    expect(value(r, '00100010')).toBe(PATIENT.name)
    expect(
      (r['00081140']!.Value as Record<string, { Value: string[] }>[])[0]!['00081155']!.Value[0],
    ).toBe(`${STUDY}.1.1`)
    expect(back.restored).toBeGreaterThanOrEqual(4)
    vault.close()
  })

  test('the vault keeps its key: reopening gives the same pseudonyms', () => {
    const path = join(tmp(), 'vault.sqlite')
    const v1 = openVault(path)
    const a = value(datasetOf(deidentify(instance(1), { vault: v1 }).bytes).dict, '0020000d')
    const size = v1.size()
    v1.close()
    const v2 = openVault(path)
    const b = value(datasetOf(deidentify(instance(1), { vault: v2 }).bytes).dict, '0020000d')
    expect(b).toBe(a)
    expect(v2.size()).toBe(size) // nothing recorded twice
    v2.close()
  })
})

describe("the action table is the standard's", () => {
  test('Table E.1-1 rows as the 2024b edition gives them', () => {
    const t = actionTable()
    expect(t.edition).toBe('2024b')
    expect(t.rows.size + t.repeating.length + 1).toBe(621)
    expect(t.rows.get('00100010')).toMatchObject({ tag: '00100010', basic: 'Z', options: {} })
    expect(t.rows.get('0020000d')).toMatchObject({ basic: 'U', options: { uid: 'K' } })
    expect(t.rows.get('00080080')).toMatchObject({ basic: 'X/Z/D', options: { inst: 'K' } })
    expect(t.rows.get('00081120')).toMatchObject({ basic: 'X', options: { uid: 'K' } }) // X in 2021
    expect(t.rows.get('00080012')).toMatchObject({ name: 'Instance Creation Date', basic: 'X/D' })
    expect(resolveForTest('60223000')).toMatchObject({ basic: 'X', options: { graph: 'C' } })
    expect(t.private).toMatchObject({ basic: 'X', options: { priv: 'C' } })
  })
})

describe('bad input', () => {
  test('not DICOM, truncated, no key: typed errors', () => {
    expect(() => deidentify(new TextEncoder().encode('hello'), { key })).toThrow(
      expect.objectContaining({ code: 'DEID_UNREADABLE_FILE' }),
    )
    const good = instance(1)
    expect(() => deidentify(good.slice(0, 300), { key, file: 'cut.dcm' })).toThrow(
      /cut\.dcm: cannot de-identify/,
    )
    expect(() => deidentify(good, {})).toThrow(/give a key or a vault/)
  })

  test('fuzz: mutated files either de-identify or fail with a DEID_ coded error, never anything else', () => {
    const good = instance(3)
    let seed = 12345
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed / 2 ** 31
    }
    let failed = 0
    for (let run = 0; run < 300; run++) {
      const bytes = good.slice(0, 132 + Math.floor(rand() * (good.length - 132)))
      const flips = 1 + Math.floor(rand() * 8)
      for (let i = 0; i < flips; i++)
        bytes[132 + Math.floor(rand() * (bytes.length - 132))] = Math.floor(rand() * 256)
      try {
        deidentify(bytes, { key, file: `fuzz-${run}` })
      } catch (error) {
        failed++
        expect(error, `run ${run}`).toBeInstanceOf(ConnectorsError)
        expect((error as ConnectorsError).code, `run ${run}`).toMatch(/^DEID_/)
      }
    }
    expect(failed).toBeGreaterThan(0)
  })
})

const dcmdump = tool('dcmdump', 'dcmtk')
test.skipIf(!dcmdump)(
  'an independent DICOM toolkit (dcmtk dcmdump) reads the de-identified file',
  () => {
    if (!dcmdump) throw new Error('unreachable: skipped without dcmdump')
    const file = join(tmp(), 'deid.dcm')
    writeFileSync(file, deidentify(instance(1), { key }).bytes)
    const out = execFileSync(dcmdump, ['-q', '+E', file], { encoding: 'utf8' })
    expect(out).toMatch(/\(0012,0062\) CS \[YES\]/)
    expect(out).toMatch(/\(0012,0064\) SQ/)
    expect(out).not.toMatch(/Zhang/)
  },
)

import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dciodvfy, hasDciodvfy, orthancBinary, tool, useOrthanc } from '@btt/testing'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { reidentify } from '../src/deid/reidentify.js'
import { openVault, type PseudonymVault } from '../src/deid/vault.js'
import { createDicomwebClient } from '../src/dicomweb/createDicomwebClient.js'
import { createMeasurementReport } from '../src/results/createMeasurementReport.js'
import { createOverlayImage } from '../src/results/createOverlayImage.js'
import { createSegmentations } from '../src/results/createSegmentations.js'
import { fileMeta } from '../src/results/part10.js'
import { datasetOf, value } from './fixtures.js'
import { makeOutcomes, type Outcome } from './outcomes.js'

/**
 * The conformance matrix (issue 17): every object BTT writes, for every outcome of an analysis,
 * is a valid IOD (dciodvfy: no errors, only the warnings listed below), is read by dcmtk, and
 * round-trips through Orthanc unchanged.
 */

const KINDS = [
  'SR',
  'SEG BINARY',
  'SEG FRACTIONAL',
  'overlay SC',
  'de-identified input',
  'SR re-identified (remote)',
  'SEG re-identified (remote)',
] as const
type Kind = (typeof KINDS)[number]
type Written = { kind: Kind; bytes: Uint8Array }

/**
 * The warnings dciodvfy may give, each justified in the README ("Conformance"); any other
 * warning fails the matrix.
 */
const ALLOWED_WARNINGS: { pattern: RegExp; why: string }[] = [
  {
    pattern:
      /^Warning - Unrecognized defined term <99BTT> for value 1 of attribute <Coding Scheme Designator>$/,
    why: "BTT's private scheme: declared in the object's Coding Scheme Identification Sequence, which dciodvfy does not consult",
  },
  {
    pattern:
      /^Warning - Missing attribute or value that would be needed to build DICOMDIR - Study (Date|Time|ID)$/,
    why: 'de-identified input only: the Basic Profile empties Study Date, Time and ID (PS3.15 Table E.1-1 action Z; Type 2, so empty is valid)',
  },
]

/**
 * How many objects of each kind (in {@link KINDS} order) an outcome gives. A negative result and a
 * finding without a mask have no SEG (a SEG needs a segment and a frame); an overlay per analysed
 * frame; a de-identified file per readable input.
 */
const COUNTS: Record<string, number[]> = {
  'no finding': [1, 0, 0, 1, 1, 1, 0],
  'one finding': [1, 1, 1, 1, 1, 1, 1],
  'several findings and labels': [1, 1, 1, 2, 2, 1, 1],
  'a multi-frame input': [1, 1, 1, 3, 1, 1, 1],
  'several series in one study': [1, 2, 2, 3, 3, 1, 2],
  'a partial analysis (one input failed)': [1, 1, 1, 2, 2, 1, 1],
  'a finding without a mask': [1, 0, 0, 1, 1, 1, 0],
}
const OUTCOMES = Object.keys(COUNTS)

const readable = (bytes: Uint8Array) => fileMeta(bytes).sopInstanceUid !== ''

/**
 * Every object written for an outcome, by kind, as the CLI and the PACS flow write them (remote
 * mode: from the de-identified inputs, then re-identified with the vault).
 */
function writers(
  { inputs, result, remote }: Outcome,
  vault: PseudonymVault,
): Record<Kind, () => Promise<Uint8Array[]>> {
  const sources = inputs
  const bySop = new Map(inputs.filter(readable).map((b) => [fileMeta(b).sopInstanceUid, b]))
  const back = (bytes: Uint8Array) => reidentify(bytes, { vault }).bytes
  return {
    SR: async () => [createMeasurementReport(result, { sources })],
    'SEG BINARY': async () => createSegmentations(result, { sources }),
    'SEG FRACTIONAL': async () => createSegmentations(result, { sources, type: 'FRACTIONAL' }),
    'overlay SC': () =>
      Promise.all(
        result.images.map((image) => createOverlayImage(image, bySop.get(image.sopInstanceUid)!)),
      ),
    'de-identified input': async () => remote.inputs.filter(readable),
    'SR re-identified (remote)': async () => [
      back(createMeasurementReport(remote.result, { sources: remote.inputs })),
    ],
    'SEG re-identified (remote)': async () =>
      createSegmentations(remote.result, { sources: remote.inputs }).map(back),
  }
}

/** Each outcome's objects by kind, or the error its writer threw (failing that kind's tests only). */
type Made = Map<Kind, Uint8Array[] | { error: unknown }>
async function writeAll(outcome: Outcome, vault: PseudonymVault): Promise<Made> {
  const made: Made = new Map()
  for (const [kind, write] of Object.entries(writers(outcome, vault)) as [
    Kind,
    () => Promise<Uint8Array[]>,
  ][])
    made.set(kind, await write().catch((error: unknown) => ({ error })))
  return made
}

const dir = mkdtempSync(join(tmpdir(), 'btt-conformance-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const written = new Map<string, Made>()
beforeAll(async () => {
  const vault = openVault(join(dir, 'vault.sqlite'))
  try {
    for (const outcome of await makeOutcomes(vault))
      written.set(outcome.name, await writeAll(outcome, vault))
  } finally {
    vault.close()
  }
}, 180_000)
/** The objects of a kind written for an outcome; throws what their writer threw. */
function objects(outcome: string, kind: Kind): Written[] {
  const made = written.get(outcome)?.get(kind)
  if (!made) throw new Error(`nothing was made for ${outcome}`)
  if ('error' in made) throw made.error
  return made.map((bytes) => ({ kind, bytes }))
}

/** Runs a dcmtk tool on the object; its status and what it said. */
function dcmtk(cmd: string, args: string[], bytes: Uint8Array) {
  const file = join(dir, `${cmd}-${Math.random().toString(36).slice(2)}.dcm`)
  writeFileSync(file, bytes)
  const run = spawnSync(cmd, [...args, file], { encoding: 'utf8' })
  rmSync(file)
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}

describe.each(OUTCOMES)('%s', (outcome) => {
  test.each(KINDS)('%s: as many objects as expected', (kind) => {
    expect(objects(outcome, kind)).toHaveLength(COUNTS[outcome]![KINDS.indexOf(kind)]!)
  })

  test.skipIf(!hasDciodvfy()).each(KINDS)(
    '%s: dciodvfy finds no error, only justified warnings',
    (kind) => {
      const found = objects(outcome, kind)
      expect(found.length).toBeGreaterThanOrEqual(0)
      for (const { bytes } of found) {
        const check = dciodvfy(bytes)
        expect({ kind, errors: check.errors }).toEqual({ kind, errors: [] })
        const unexplained = check.warnings.filter(
          (w) => !ALLOWED_WARNINGS.some((a) => a.pattern.test(w)),
        )
        expect({ kind, unexplained }).toEqual({ kind, unexplained: [] })
      }
    },
  )

  test.skipIf(!tool('dcmdump', 'dcmtk')).each(KINDS)('%s: dcmdump reads it cleanly', (kind) => {
    const found = objects(outcome, kind)
    expect(found.length).toBeGreaterThanOrEqual(0)
    for (const { bytes } of found) {
      const run = dcmtk('dcmdump', ['-q', '+E'], bytes)
      expect({ kind, status: run.status, stderr: run.stderr }).toEqual({
        kind,
        status: 0,
        stderr: '',
      })
    }
  })

  test.skipIf(!tool('dsrdump', 'dcmtk')).each(['SR', 'SR re-identified (remote)'] as const)(
    '%s: dsrdump reads it with no error or warning',
    (kind) => {
      const [sr] = objects(outcome, kind)
      const run = dcmtk('dsrdump', ['-Ee', '-Ec'], sr!.bytes)
      expect(run.stderr).toBe('')
      expect(run.status).toBe(0)
      expect(run.stdout).toContain('Imaging Measurement Report')
    },
  )
})

describe.skipIf(!orthancBinary())('every object round-trips through Orthanc', () => {
  const server = useOrthanc()

  test.each(OUTCOMES)('%s: stored, and retrieved byte for byte', async (outcome) => {
    const pacs = createDicomwebClient({ url: server().dicomweb })
    const all = KINDS.flatMap((kind) => objects(outcome, kind))
    const { stored, failed } = await pacs.store(all.map((w) => w.bytes))
    expect(failed).toEqual([])
    expect(stored).toHaveLength(all.length)
    for (const { kind, bytes } of all) {
      const { dict } = datasetOf(bytes)
      const back = await pacs.retrieveInstance(
        String(value(dict, '0020000D')),
        String(value(dict, '0020000E')),
        String(value(dict, '00080018')),
      )
      expect({ kind, same: Buffer.compare(back, bytes) === 0 }).toEqual({ kind, same: true })
    }
  })
})

import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dciodvfy, hasDciodvfy, orthancBinary, tool, useOrthanc } from '@btt/testing'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { deidentify } from '../src/deid/deidentify.js'
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

const KINDS = ['SR', 'SEG BINARY', 'SEG FRACTIONAL', 'overlay SC', 'de-identified input'] as const
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

/** What an outcome gives for each kind of object: how many objects, and why none. */
const expected: Record<string, Partial<Record<Kind, number>>> = {
  'no finding': { SR: 1, 'SEG BINARY': 0, 'SEG FRACTIONAL': 0, 'overlay SC': 1 },
  'one finding': { SR: 1, 'SEG BINARY': 1, 'SEG FRACTIONAL': 1, 'overlay SC': 1 },
  'several findings and labels': { SR: 1, 'SEG BINARY': 1, 'SEG FRACTIONAL': 1, 'overlay SC': 2 },
  'a multi-frame input': { SR: 1, 'SEG BINARY': 1, 'SEG FRACTIONAL': 1, 'overlay SC': 3 },
  'several series in one study': {
    SR: 1,
    'SEG BINARY': 2,
    'SEG FRACTIONAL': 2,
    'overlay SC': 3,
  },
  'a partial analysis (one input failed)': {
    SR: 1,
    'SEG BINARY': 1,
    'SEG FRACTIONAL': 1,
    'overlay SC': 2,
  },
  'a finding without a mask': { SR: 1, 'SEG BINARY': 0, 'SEG FRACTIONAL': 0, 'overlay SC': 1 },
}

const readable = (bytes: Uint8Array) => fileMeta(bytes).sopInstanceUid !== ''

/** Every object written for an outcome, by kind, as the CLI and the PACS flow write them. */
function writers({ inputs, result }: Outcome): Record<Kind, () => Promise<Uint8Array[]>> {
  const sources = inputs
  const bySop = new Map(inputs.filter(readable).map((b) => [fileMeta(b).sopInstanceUid, b]))
  const key = new Uint8Array(32).fill(7)
  return {
    SR: async () => [createMeasurementReport(result, { sources })],
    'SEG BINARY': async () => createSegmentations(result, { sources }),
    'SEG FRACTIONAL': async () => createSegmentations(result, { sources, type: 'FRACTIONAL' }),
    'overlay SC': () =>
      Promise.all(
        result.images.map((image) => createOverlayImage(image, bySop.get(image.sopInstanceUid)!)),
      ),
    'de-identified input': async () => [...bySop.values()].map((b) => deidentify(b, { key }).bytes),
  }
}

/** Each outcome's objects by kind, or the error its writer threw (failing that kind's tests only). */
type Made = Map<Kind, Uint8Array[] | { error: unknown }>
async function writeAll(outcome: Outcome): Promise<Made> {
  const made: Made = new Map()
  for (const [kind, write] of Object.entries(writers(outcome)) as [
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
  for (const outcome of await makeOutcomes()) written.set(outcome.name, await writeAll(outcome))
}, 120_000)
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

describe.each(Object.keys(expected))('%s', (outcome) => {
  test.each(KINDS)('%s: written as expected', (kind) => {
    const count = expected[outcome]![kind] ?? (kind === 'de-identified input' ? undefined : 0)
    const found = objects(outcome, kind)
    if (count === undefined) expect(found.length).toBeGreaterThan(0)
    else expect(found).toHaveLength(count)
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

  test.skipIf(!tool('dsrdump', 'dcmtk'))('SR: dsrdump reads it with no error or warning', () => {
    const [sr] = objects(outcome, 'SR')
    const run = dcmtk('dsrdump', ['-Ee', '-Ec'], sr!.bytes)
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('Imaging Measurement Report')
  })
})

describe.skipIf(!orthancBinary())('every object round-trips through Orthanc', () => {
  const server = useOrthanc()

  test.each(Object.keys(expected))('%s: stored, and retrieved byte for byte', async (outcome) => {
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

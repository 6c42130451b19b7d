import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { orthancBinary, startOrthanc } from '@btt/testing'
import { afterAll, expect, test } from 'vitest'
import { runPacsIntegrator } from './run.js'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-example-pacs-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

// The example as `pnpm start` runs it: an Orthanc started on loopback by the example itself.
test.skipIf(!orthancBinary())(
  'with Orthanc installed, it starts one, and the study is analysed once and stored back',
  async () => {
    const lines = (await runPacsIntegrator(tempDir())).join('\n')
    expect(lines).toMatch(/the PACS flow against Orthanc on loopback/)
    expect(lines).toMatch(/stored \(2 DX images, STOW-RS\)/)
    expect(lines).toMatch(/new study [0-9.]+: 2 instances retrieved/)
    expect(lines).toMatch(
      /analysed: 1 finding\(s\); stored back SR [0-9.]+ and 1 SEG; charge \d+\.\d\d CNY/,
    )
    expect(lines).toContain('first pass analysed 1 study; second pass 0 (already analysed)')
    expect(lines).toMatch(/patient MRN-20931, refers to 2 images: true/)
    expect(lines).toContain('in what leaves: none')
  },
)

// `--dicomweb <url>`: the PACS is someone else's; Orthanc's own REST API, not the SDK, then says
// what it holds.
test.skipIf(!orthancBinary())(
  'against a given DICOMweb PACS, the SR and SEG are in it beside the images',
  async () => {
    const orthanc = await startOrthanc()
    try {
      const lines = (await runPacsIntegrator(tempDir(), { dicomweb: orthanc.dicomweb })).join('\n')
      const study = /study ([0-9.]+) of patient/.exec(lines)?.[1]
      expect(study).toBeDefined()
      const r = await fetch(`${orthanc.http}/tools/find`, {
        method: 'POST',
        body: JSON.stringify({ Level: 'Series', Query: { StudyInstanceUID: study }, Expand: true }),
      })
      const series = (await r.json()) as {
        MainDicomTags: { Modality: string }
        Instances: string[]
      }[]
      expect(series.map((s) => `${s.MainDicomTags.Modality}×${s.Instances.length}`).sort()).toEqual(
        ['DX×2', 'SEG×1', 'SR×1'],
      )
    } finally {
      await orthanc.stop()
    }
  },
)

test('without a PACS it says so and runs the offline walkthrough', async () => {
  const lines = (await runPacsIntegrator(tempDir(), { orthanc: false })).join('\n')
  expect(lines).toMatch(/no PACS: Orthanc is not installed .* the PACS flow is skipped/)
  expect(lines).not.toContain('STOW-RS')
  expect(lines).toContain('1 SEG and 1 overlay')
})

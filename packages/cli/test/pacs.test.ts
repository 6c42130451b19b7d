import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { createDicomwebClient } from '@btt/connectors'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type OrthancServer, orthancBinary, startOrthanc } from '../../connectors/test/orthanc.js'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

let orthanc: OrthancServer
const dir = mkdtempSync(join(tmpdir(), 'btt-cli-pacs-'))
beforeAll(async () => {
  if (orthancBinary()) orthanc = await startOrthanc()
}, 60_000)
afterAll(async () => {
  await orthanc?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test.skipIf(!orthancBinary())(
  'btt pacs watch --once analyses the PACS studies, then nothing on the next run',
  async () => {
    const study = '1.2.826.0.1.3680043.10.1398.700'
    await createDicomwebClient({ url: orthanc.dicomweb }).store([
      writeDicom({
        frames: [syntheticChest({ seed: 9, nodules: [{ x: 170, y: 230, radius: 12 }] })],
        rows: 512,
        columns: 512,
        studyInstanceUid: study,
      }),
    ])
    const args = [
      'pacs',
      'watch',
      '--dicomweb',
      orthanc.dicomweb,
      '--once',
      '--jobs',
      join(dir, 'jobs.sqlite'),
    ]
    const first = captureIo()
    expect(await main(args, first.io)).toBe(0)
    expect(first.out).toContain(`✔ study ${study}: 1 finding(s), SR `)
    expect(first.out).toContain('1 study(ies) analysed')
    const second = captureIo()
    expect(await main(args, second.io)).toBe(0)
    expect(second.out).toContain('0 study(ies) analysed')
  },
)

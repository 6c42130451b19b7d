// STOW-RS throughput to a real Orthanc on loopback: generated 512×512 CT instances, 16 per request.
import { writeDicom } from '@btt/compute/testing'
import { startOrthanc } from '@btt/testing'
import { afterAll, bench, describe } from 'vitest'
import { createDicomwebClient } from '../src/dicomweb/createDicomwebClient.js'

const orthanc = await startOrthanc()
let batch = 0
const make = (b: number) =>
  Array.from({ length: 16 }, (_, i) =>
    writeDicom({
      frames: [Int16Array.from({ length: 512 * 512 }, (_, p) => ((p + i) % 2000) - 1000)],
      rows: 512,
      columns: 512,
      modality: 'CT',
      signed: true,
      studyInstanceUid: `1.2.826.0.1.3680043.10.1398.300.${b}`,
      sopInstanceUid: `1.2.826.0.1.3680043.10.1398.300.${b}.${i + 1}`,
    }),
  )
const prepared = Array.from({ length: 40 }, (_, b) => make(b))

describe('STOW-RS to Orthanc (16 × 512 KiB CT per request)', () => {
  afterAll(() => orthanc.stop()) // and the helper's watchdog stops it if this never runs
  bench(
    'createDicomwebClient().store',
    async () => {
      const pacs = createDicomwebClient({ url: orthanc.dicomweb })
      const r = await pacs.store(prepared[batch++ % prepared.length]!)
      if (r.stored.length !== 16) throw new Error(`stored ${r.stored.length} of 16`)
    },
    { iterations: 20, warmupIterations: 1 },
  )
})

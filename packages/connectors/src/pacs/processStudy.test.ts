import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { expect, test } from 'vitest'
import type { DicomwebClient } from '../dicomweb/createDicomwebClient.js'
import { ConnectorsError } from '../errors.js'
import { fileMeta, writePart10 } from '../results/part10.js'
import { openJobStore } from './jobStore.js'
import { processStudy } from './processStudy.js'
import type { FlowContext, PacsEvents } from './types.js'

const STUDY = '1.2.826.0.1.3680043.10.1398.651'
const image = writeDicom({
  frames: [syntheticChest({ seed: 4, nodules: [] })],
  rows: 512,
  columns: 512,
  studyInstanceUid: STUDY,
  sopInstanceUid: `${STUDY}.1.1`,
})

test('no image: skipped; a PACS that refuses: a failed job and a failure event; the retry: done, charged once; the same set again: skipped', async () => {
  const own = mkdtempSync(join(tmpdir(), 'btt-process-'))
  const jobs = openJobStore(join(own, 'jobs.sqlite'))
  const seen: { name: keyof PacsEvents; event: PacsEvents[keyof PacsEvents] }[] = []
  let refuse = true
  const pacs = {
    store: async (input: Iterable<Uint8Array>) => {
      const uids = [...input].map((f) => fileMeta(f).sopInstanceUid)
      if (refuse) throw new ConnectorsError('DICOMWEB_HTTP_ERROR', 'HTTP 503', { details: {} })
      return { stored: uids, failed: [] }
    },
  } as unknown as DicomwebClient
  const context: FlowContext = {
    options: { pacs, jobs },
    emit: (name, event) => seen.push({ name, event }),
  }
  try {
    const sr = writePart10({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.33', SOPInstanceUID: '9' })
    expect(await processStudy(context, STUDY, [sr])).toBe(false)
    expect(seen).toEqual([])

    expect(await processStudy(context, STUDY, [image])).toBe(false)
    expect(seen.map((s) => s.name)).toEqual(['studyComplete', 'failure'])
    expect(jobs.jobs()).toEqual([
      expect.objectContaining({ status: 'failed', error: 'HTTP 503', charge: null }),
    ])

    refuse = false
    expect(await processStudy(context, STUDY, [image])).toBe(true)
    expect(seen.at(-1)).toMatchObject({
      name: 'result',
      event: {
        update: false,
        supersedes: null,
        charge: expect.objectContaining({ currency: 'CNY' }),
      },
    })
    expect(jobs.jobs().map((j) => j.status)).toEqual(['done'])
    expect(jobs.charges()).toHaveLength(1)
    expect(await processStudy(context, STUDY, [image])).toBe(false)
  } finally {
    jobs.close()
    rmSync(own, { recursive: true, force: true })
  }
}, 60_000)

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import type { DicomJson } from '../dicomweb/createDicomwebClient.js'
import { findNewStudies } from './findNewStudies.js'
import { openJobStore } from './jobStore.js'

const ui = (v: string) => ({ vr: 'UI', Value: [v] })
const instance = (sop: string, modality = 'DX'): DicomJson => ({
  '00080018': ui(sop),
  '00080016': ui('1.2.840.10008.5.1.4.1.1.1.1'),
  '00080060': { vr: 'CS', Value: [modality] },
})

test('studies whose image set is done, or that have no image, are skipped without retrieving', async () => {
  const own = mkdtempSync(join(tmpdir(), 'btt-find-'))
  const jobs = openJobStore(join(own, 'jobs.sqlite'))
  const listing: Record<string, DicomJson[]> = {
    '1.1': [instance('1.1.1'), instance('1.1.9', 'SR')],
    '2.2': [instance('2.2.1'), instance('2.2.2')],
    '3.3': [instance('3.3.9', 'SEG')],
  }
  const pacs = {
    searchStudies: async () => Object.keys(listing).map((s) => ({ '0020000D': ui(s) })),
    searchInstances: async (study: string) => listing[study]!,
  }
  jobs.record({
    studyInstanceUid: '1.1',
    instances: '1.1.1',
    status: 'done',
    srSopInstanceUid: '1.1.9',
    findings: 0,
    inferenceMs: 1,
    dataBytes: 1,
    charge: null,
    error: null,
    finishedAt: 1,
  })
  const found: string[] = []
  for await (const s of findNewStudies(pacs, jobs)) found.push(s)
  expect(found).toEqual(['2.2'])
  jobs.close()
  rmSync(own, { recursive: true, force: true })
})

import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { analyze } from '@btt/compute'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { defaultConfig, quoteCompute } from '@btt/core'
import { orthancBinary, tool, useOrthanc } from '@btt/testing'
import { afterAll, describe, expect, test } from 'vitest'
import { openVault } from '../src/deid/vault.js'
import { createDicomwebClient, jsonValue } from '../src/dicomweb/createDicomwebClient.js'
import { createStoreScp } from '../src/dimse/createStoreScp.js'
import { openJobStore } from '../src/pacs/jobStore.js'
import { watchPacs } from '../src/pacs/watchPacs.js'
import { datasetOf, value } from './fixtures.js'

const dir = mkdtempSync(join(tmpdir(), 'btt-pacs-'))
const image = (study: string, n: number, nodule: boolean, patientId: string) =>
  writeDicom({
    frames: [
      syntheticChest({
        seed: 500 + n,
        nodules: nodule ? [{ x: 170, y: 230, radius: 12, contrast: 650 }] : [],
      }),
    ],
    rows: 512,
    columns: 512,
    studyInstanceUid: study,
    seriesInstanceUid: `${study}.1`,
    sopInstanceUid: `${study}.1.${n}`,
    patientId,
    patientName: 'Huang^Li',
  })
const listOf = async (files: Iterable<Uint8Array> | AsyncIterable<Uint8Array>) => {
  const out: Uint8Array[] = []
  for await (const f of files) out.push(f)
  return out
}
const A = '1.2.826.0.1.3680043.10.1398.600'
const B = '1.2.826.0.1.3680043.10.1398.601'

describe.skipIf(!orthancBinary())('btt pacs watch: the PACS flow', () => {
  const server = useOrthanc()
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('analyses each new study once, stores an SR back, survives a restart, handles late instances', async () => {
    const pacs = createDicomwebClient({ url: server().dicomweb })
    await pacs.store([image(A, 1, true, 'PX-A'), image(B, 2, false, 'PX-B')])
    const jobsPath = join(dir, 'jobs.sqlite')
    let jobs = openJobStore(jobsPath)
    const watcher = watchPacs({ pacs, jobs })
    const seen: string[] = []
    const results: { study: string; findings: number }[] = []
    watcher.onStudyComplete((e) => seen.push(e.studyInstanceUid))
    watcher.onResult((e) => results.push({ study: e.studyInstanceUid, findings: e.findings }))
    expect(await watcher.pollOnce()).toBe(2)
    expect(seen.sort()).toEqual([A, B])
    expect(results.sort((x, y) => x.study.localeCompare(y.study))).toEqual([
      { study: A, findings: 1 },
      { study: B, findings: 0 },
    ])
    for (const s of [A, B]) expect(await pacs.searchSeries(s, { Modality: 'SR' })).toHaveLength(1)
    // the model outlines what it finds: a SEG for A (an opacity), none for B
    expect(await pacs.searchSeries(A, { Modality: 'SEG' })).toHaveLength(1)
    expect(await pacs.searchSeries(B, { Modality: 'SEG' })).toHaveLength(0)
    expect(await watcher.pollOnce()).toBe(0) // nothing new: its own SR and SEG are not new instances

    // restart: a new watcher over the same job store analyses nothing again
    jobs.close()
    jobs = openJobStore(jobsPath)
    const again = watchPacs({ pacs, jobs })
    expect(await again.pollOnce()).toBe(0)

    // a late instance arrives for study A: a new job over the whole study
    await pacs.store([image(A, 3, false, 'PX-A')])
    expect(await again.pollOnce()).toBe(1)
    const history = jobs.jobs().filter((j) => j.studyInstanceUid === A)
    expect(history.map((j) => j.instances.split(',').length)).toEqual([1, 2])
    expect(history.every((j) => j.status === 'done' && j.inferenceMs > 0)).toBe(true)
    // each job is priced with the model's schedule: at least the minimum, and what quoteCompute
    // says for its inference time and bytes
    for (const j of jobs.jobs()) {
      expect(j.dataBytes).toBeGreaterThan(512 * 512 * 2)
      const quote = quoteCompute(defaultConfig.computePricing, {
        gpuSeconds: j.inferenceMs / 1000,
        dataBytes: BigInt(j.dataBytes),
      })
      expect(j.charge).toEqual({ currency: 'CNY', total: quote.total })
      expect(j.charge!.total).toBeGreaterThanOrEqual(defaultConfig.computePricing.minimumCharge)
    }
    jobs.close()
  })

  test('a PACS that refuses SEG: the SR is stored once, the job is done with a warning, no retry', async () => {
    const real = createDicomwebClient({ url: server().dicomweb })
    const E = '1.2.826.0.1.3680043.10.1398.604'
    await real.store([image(E, 11, true, 'PX-E')])
    // the same Orthanc behind a gateway that refuses the Segmentation SOP Class
    const pacs: typeof real = {
      ...real,
      store: async (input) => {
        const files = await listOf(input)
        const segs = files.filter((f) => value(datasetOf(f).dict, '00080060') === 'SEG')
        if (!segs.length) return real.store(files)
        return {
          stored: [],
          failed: segs.map((f) => ({
            sopInstanceUid: String(value(datasetOf(f).dict, '00080018')),
            reason: 0x0122, // SOP Class not supported
          })),
        }
      },
    }
    const jobs = openJobStore(join(dir, 'jobs-noseg.sqlite'))
    const watcher = watchPacs({ pacs, jobs, query: { PatientID: 'PX-E' } })
    const warnings: string[] = []
    watcher.onResult((e) => warnings.push(...e.warnings))
    expect(await watcher.pollOnce()).toBe(1)
    expect(warnings).toEqual([expect.stringMatching(/^the PACS refused SEG [0-9.]+$/)])
    expect(jobs.jobs().map((j) => j.status)).toEqual(['done'])
    expect(await watcher.pollOnce()).toBe(0) // not retried
    expect(await real.searchSeries(E, { Modality: 'SR' })).toHaveLength(1)
    expect(await real.searchSeries(E, { Modality: 'SEG' })).toHaveLength(0)
    jobs.close()
  })

  test('a lost STOW response: the retry stores the same SR again, not a second one', async () => {
    const real = createDicomwebClient({ url: server().dicomweb })
    const F = '1.2.826.0.1.3680043.10.1398.605'
    await real.store([image(F, 12, true, 'PX-F')])
    let lose = true
    // the PACS stores the SR, then the connection drops before its answer arrives
    const pacs: typeof real = {
      ...real,
      store: async (input) => {
        const files = await listOf(input)
        const answer = await real.store(files)
        if (lose && files.some((f) => value(datasetOf(f).dict, '00080060') === 'SR')) {
          lose = false
          throw new Error('socket hang up')
        }
        return answer
      },
    }
    const jobs = openJobStore(join(dir, 'jobs-lost.sqlite'))
    const watcher = watchPacs({ pacs, jobs, query: { PatientID: 'PX-F' } })
    expect(await watcher.pollOnce()).toBe(0) // failed: it cannot know the SR was stored
    expect(jobs.jobs().map((j) => j.status)).toEqual(['failed'])
    expect(await watcher.pollOnce()).toBe(1) // retried
    expect(jobs.jobs().map((j) => j.status)).toEqual(['done'])
    const instances = await real.searchInstances(F)
    const modalities = instances.map((i) => String(jsonValue(i, '00080060'))).sort()
    expect(modalities).toEqual(['DX', 'SEG', 'SR'])
    jobs.close()
  })

  test('remote compute sees only de-identified data; the SR stored back is re-identified', async () => {
    const pacs = createDicomwebClient({ url: server().dicomweb })
    const C = '1.2.826.0.1.3680043.10.1398.602'
    await pacs.store([image(C, 7, true, 'PX-C')])
    const vault = openVault(join(dir, 'vault.sqlite'))
    const jobs = openJobStore(join(dir, 'jobs-remote.sqlite'))
    const leaving: Uint8Array[] = []
    const watcher = watchPacs({
      pacs,
      jobs,
      query: { PatientID: 'PX-C' },
      remote: {
        vault,
        run: async (files) => {
          leaving.push(...files) // what a remote node would receive
          return analyze(files)
        },
      },
    })
    expect(await watcher.pollOnce()).toBe(1)
    for (const f of leaving) {
      const text = Buffer.from(f).toString('latin1')
      expect(text).not.toContain('PX-C')
      expect(text).not.toContain('Huang')
      expect(text).not.toContain(C)
    }
    const results: Uint8Array[] = []
    for await (const f of pacs.retrieveStudy(C))
      if (['SR', 'SEG'].includes(String(value(datasetOf(f).dict, '00080060')))) results.push(f)
    expect(results.map((f) => value(datasetOf(f).dict, '00080060')).sort()).toEqual(['SEG', 'SR'])
    for (const bytes of results) {
      const ds = datasetOf(bytes).dict
      expect(value(ds, '00100020')).toBe('PX-C')
      expect(value(ds, '0020000D')).toBe(C)
      expect(JSON.stringify(ds)).toContain(`${C}.1.7`) // references the original image
    }
    const found = await pacs.searchStudies({ PatientID: 'PX-C' })
    expect(found.map((s) => jsonValue(s, '0020000D'))).toEqual([C]) // no de-identified study leaked into the PACS
    jobs.close()
    vault.close()
  })

  test.skipIf(!tool('storescu', 'dcmtk'))(
    'a study pushed by C-STORE (dcmtk storescu) is analysed and its SR lands in the PACS',
    async () => {
      const pacs = createDicomwebClient({ url: server().dicomweb })
      const D = '1.2.826.0.1.3680043.10.1398.603'
      const file = join(dir, 'pushed.dcm')
      writeFileSync(file, image(D, 9, true, 'PX-D'))
      const watcher = watchPacs({ pacs, jobs: openJobStore(join(dir, 'jobs-scp.sqlite')) })
      const scp = createStoreScp({ port: 0, aet: 'BTT', spoolDir: join(dir, 'spool') })
      const done = new Promise<boolean>((resolve) =>
        scp.onStudyComplete(({ studyInstanceUid, files }) =>
          resolve(
            watcher.ingest(
              studyInstanceUid,
              files.map((f) => new Uint8Array(readFileSync(f))),
            ),
          ),
        ),
      )
      const port = await scp.listen()
      try {
        await new Promise<void>((resolve, reject) =>
          execFile('storescu', ['-aec', 'BTT', '127.0.0.1', String(port), file], (e) =>
            e ? reject(e) : resolve(),
          ),
        )
        expect(await done).toBe(true)
        const srs = await pacs.searchSeries(D, { Modality: 'SR' })
        expect(srs).toHaveLength(1)
      } finally {
        scp.close()
      }
    },
  )
})

test('a job store from before billing columns is migrated in place; its rows read back unpriced', () => {
  const own = mkdtempSync(join(tmpdir(), 'btt-jobs-'))
  const path = join(own, 'old-jobs.sqlite')
  const Database = createRequire(import.meta.url)('better-sqlite3')
  const old = new Database(path)
  old.exec(`CREATE TABLE jobs (
    study_instance_uid TEXT NOT NULL, instances TEXT NOT NULL, status TEXT NOT NULL,
    sr_sop_instance_uid TEXT, findings INTEGER NOT NULL, inference_ms REAL NOT NULL,
    error TEXT, finished_at INTEGER NOT NULL, PRIMARY KEY (study_instance_uid, instances))`)
  old
    .prepare('INSERT INTO jobs VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run('1.2.3', '1.2.3.1', 'done', '1.2.3.9', 1, 12.5, null, 1)
  old.close()
  const jobs = openJobStore(path)
  expect(jobs.done('1.2.3', '1.2.3.1')).toBe(true)
  expect(jobs.jobs()).toEqual([
    expect.objectContaining({ studyInstanceUid: '1.2.3', dataBytes: 0, charge: null }),
  ])
  jobs.record({
    studyInstanceUid: '1.2.4',
    instances: '1.2.4.1',
    status: 'done',
    srSopInstanceUid: '1.2.4.9',
    findings: 0,
    inferenceMs: 5,
    dataBytes: 1000,
    charge: { currency: 'CNY', total: 12_345_678_901_234_567_890n },
    error: null,
    finishedAt: 2,
  })
  jobs.close()
  // exact bigint round trip, after reopening
  const again = openJobStore(path)
  expect(again.jobs()[1]!.charge).toEqual({ currency: 'CNY', total: 12_345_678_901_234_567_890n })
  again.close()
  rmSync(own, { recursive: true, force: true })
})

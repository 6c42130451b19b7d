import { execFile } from 'node:child_process'
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
import {
  createDicomwebClient,
  type DicomwebClient,
  jsonValue,
} from '../src/dicomweb/createDicomwebClient.js'
import { createStoreScp } from '../src/dimse/createStoreScp.js'
import { openJobStore } from '../src/pacs/jobStore.js'
import { type FailureEvent, type ResultEvent, watchPacs } from '../src/pacs/watchPacs.js'
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

    // a late instance arrives for study A: an update over the whole study, not a second charge
    await pacs.store([image(A, 3, false, 'PX-A')])
    const updates: ResultEvent[] = []
    again.onResult((e) => updates.push(e))
    expect(await again.pollOnce()).toBe(1)
    const history = jobs.jobs().filter((j) => j.studyInstanceUid === A)
    expect(history.map((j) => j.instances.split(',').length)).toEqual([1, 2])
    expect(history.every((j) => j.status === 'done' && j.inferenceMs > 0)).toBe(true)
    expect(history[1]!.charge).toBeNull()
    expect(history[1]!.supersedes).toBe(history[0]!.srSopInstanceUid)
    expect(updates).toEqual([
      expect.objectContaining({
        update: true,
        charge: null,
        supersedes: history[0]!.srSopInstanceUid,
      }),
    ])
    // the new SR is the next version in the same series, naming the one it supersedes
    expect(await pacs.searchSeries(A, { Modality: 'SR' })).toHaveLength(1)
    const versions: Uint8Array[] = []
    for await (const f of pacs.retrieveStudy(A))
      if (value(datasetOf(f).dict, '00080060') === 'SR') versions.push(f)
    const latest = versions
      .map((f) => datasetOf(f).dict)
      .find((d) => value(d, '00080018') === history[1]!.srSopInstanceUid)!
    expect(JSON.stringify(latest['0040A360'])).toContain(history[0]!.srSopInstanceUid!)
    expect(value(latest, '00200013')).toBe(2)
    // one charge per study, each what quoteCompute says for its job's inference time and bytes
    expect(
      jobs
        .charges()
        .map((c) => c.studyInstanceUid)
        .sort(),
    ).toEqual([A, B])
    for (const j of jobs.jobs().filter((job) => job.charge)) {
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
      const scp = createStoreScp({
        port: 0,
        aet: 'BTT',
        spoolDir: join(dir, 'spool'),
        quietSeconds: 0.2,
      })
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

/** A PACS that takes every STOW (and remembers it), for tests of the flow without Orthanc. */
function fakePacs() {
  const stored: Uint8Array[] = []
  const pacs = {
    store: async (input: Iterable<Uint8Array> | AsyncIterable<Uint8Array>) => {
      const files = await listOf(input)
      stored.push(...files)
      return { stored: files.map((f) => String(value(datasetOf(f).dict, '00080018'))), failed: [] }
    },
  } as unknown as DicomwebClient
  return { pacs, stored }
}
const small = (study: string, n: number) =>
  writeDicom({
    frames: [syntheticChest({ seed: 700 + n, nodules: [], size: 128 })],
    rows: 128,
    columns: 128,
    studyInstanceUid: study,
    seriesInstanceUid: `${study}.1`,
    sopInstanceUid: `${study}.1.${n}`,
    patientId: 'PX-CONC',
  })

test('a study ingested by 20 callers at once, by two watchers on one job store: analysed and charged once; a late instance: an update, no new charge', async () => {
  const own = mkdtempSync(join(tmpdir(), 'btt-pacs-once-'))
  const G = '1.2.826.0.1.3680043.10.1398.606'
  const { pacs, stored } = fakePacs()
  const jobs = openJobStore(join(own, 'jobs.sqlite'))
  const results: ResultEvent[] = []
  const watchers = [watchPacs({ pacs, jobs }), watchPacs({ pacs, jobs })]
  const failures: FailureEvent[] = []
  for (const w of watchers) {
    w.onResult((e) => results.push(e))
    w.onFailure((e) => failures.push(e))
  }
  try {
    const files = [small(G, 1), small(G, 2)]
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => watchers[i % 2]!.ingest(G, files)),
    )
    // each watcher analyses it at most once; whatever the two did, one charge
    expect(outcomes.filter(Boolean).length).toBeGreaterThanOrEqual(1)
    expect(outcomes.filter(Boolean).length).toBeLessThanOrEqual(2)
    expect(jobs.charges()).toEqual([expect.objectContaining({ studyInstanceUid: G })])
    expect(results.filter((r) => r.charge !== null)).toHaveLength(1)
    expect(jobs.jobs().filter((j) => j.charge !== null)).toHaveLength(1)

    // a late instance: one update over the whole study, superseding the SR, not charged
    const late = await Promise.all(
      Array.from({ length: 10 }, () => watchers[0]!.ingest(G, [...files, small(G, 3)])),
    )
    expect(failures).toEqual([])
    expect(late.filter(Boolean)).toHaveLength(1)
    const update = results.at(-1)!
    expect(update).toMatchObject({ update: true, charge: null, instances: 3 })
    expect(update.supersedes).toMatch(/^2\.25\./)
    expect(jobs.charges()).toHaveLength(1)
    const sr = stored.find((f) => value(datasetOf(f).dict, '00080018') === update.srSopInstanceUid)!
    expect(JSON.stringify(datasetOf(sr).dict['0040A360'])).toContain(update.supersedes!)
  } finally {
    jobs.close()
    rmSync(own, { recursive: true, force: true })
  }
}, 120_000)

test.skipIf(!tool('storescu', 'dcmtk'))(
  '50 concurrent storescu associations for one study through the SCP: one completion, one analysis, one charge; a late instance: an update',
  async () => {
    const own = mkdtempSync(join(tmpdir(), 'btt-pacs-scp-'))
    const H = '1.2.826.0.1.3680043.10.1398.607'
    const { pacs } = fakePacs()
    const jobs = openJobStore(join(own, 'jobs.sqlite'))
    const watcher = watchPacs({ pacs, jobs })
    const scp = createStoreScp({
      port: 0,
      aet: 'BTT',
      spoolDir: join(own, 'spool'),
      quietSeconds: 1,
    })
    const completions: boolean[] = []
    const ingested: Promise<boolean>[] = []
    scp.onStudyComplete(({ studyInstanceUid, files, update }) => {
      completions.push(update)
      ingested.push(
        watcher.ingest(
          studyInstanceUid,
          files.map((f) => new Uint8Array(readFileSync(f))),
        ),
      )
    })
    const results: ResultEvent[] = []
    watcher.onResult((e) => results.push(e))
    const port = String(await scp.listen())
    const send = (n: number) => {
      const file = join(own, `${n}.dcm`)
      writeFileSync(file, small(H, n))
      return new Promise<number>((resolve) =>
        execFile('storescu', ['-aec', 'BTT', '127.0.0.1', port, file], (e) => resolve(e ? 1 : 0)),
      )
    }
    const until = async (what: () => boolean) => {
      for (let i = 0; i < 600 && !what(); i++) await new Promise((r) => setTimeout(r, 50))
    }
    try {
      const sent = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          await new Promise((r) => setTimeout(r, (i % 10) * 30))
          return send(i + 1)
        }),
      )
      expect(sent.every((s) => s === 0)).toBe(true)
      await until(() => results.length > 0)
      await new Promise((r) => setTimeout(r, 1500)) // time for any second completion
      await Promise.all(ingested)
      expect(completions).toEqual([false])
      expect(results).toEqual([expect.objectContaining({ instances: 50, update: false })])
      expect(results[0]!.charge).not.toBeNull()
      expect(jobs.charges()).toHaveLength(1)

      expect(await send(51)).toBe(0)
      await until(() => results.length > 1)
      await Promise.all(ingested)
      expect(completions).toEqual([false, true])
      expect(results[1]).toMatchObject({ instances: 51, update: true, charge: null })
      expect(jobs.charges()).toHaveLength(1)
    } finally {
      scp.close()
      await watcher.stop()
      jobs.close()
      rmSync(own, { recursive: true, force: true })
    }
  },
  180_000,
)

test('arguments are checked: watchPacs without a PACS or a job store, an empty job store path', () => {
  const invalid = expect.objectContaining({ code: 'CONNECTORS_INVALID_ARGUMENT' })
  expect(() => watchPacs({} as never)).toThrow(invalid)
  expect(() =>
    watchPacs({ pacs: fakePacs().pacs, jobs: {} as never, intervalSeconds: -1 }),
  ).toThrow(invalid)
  expect(() => openJobStore('')).toThrow(invalid)
})

test('a DICOMweb server that stalls in the WADO body: that study fails with DICOMWEB_TIMEOUT and the pass ends (pacs watch does not hang)', async () => {
  const { createServer } = await import('node:http')
  const STALL = '1.2.826.0.1.3680043.10.1398.608'
  const ui = (v: string) => ({ vr: 'UI', Value: [v] })
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/studies?') || req.url === '/studies')
      res
        .writeHead(200, { 'Content-Type': 'application/dicom+json' })
        .end(JSON.stringify([{ '0020000D': ui(STALL) }]))
    else if (req.url?.endsWith('/instances'))
      res
        .writeHead(200, { 'Content-Type': 'application/dicom+json' })
        .end(JSON.stringify([{ '00080018': ui(`${STALL}.1.1`) }]))
    else {
      res.writeHead(200, { 'Content-Type': 'multipart/related; boundary=B' })
      res.write('--B\r\nContent-Type: application/dicom\r\n\r\nDICM') // and nothing more
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const own = mkdtempSync(join(tmpdir(), 'btt-pacs-stall-'))
  const jobs = openJobStore(join(own, 'jobs.sqlite'))
  try {
    const { port } = server.address() as import('node:net').AddressInfo
    const pacs = createDicomwebClient({ url: `http://127.0.0.1:${port}`, timeoutSeconds: 0.3 })
    const watcher = watchPacs({ pacs, jobs })
    const failures: FailureEvent[] = []
    watcher.onFailure((e) => failures.push(e))
    expect(await watcher.pollOnce()).toBe(0)
    expect(failures).toEqual([
      expect.objectContaining({
        studyInstanceUid: STALL,
        error: expect.objectContaining({ code: 'DICOMWEB_TIMEOUT' }),
      }),
    ])
  } finally {
    server.closeAllConnections()
    server.close()
    jobs.close()
    rmSync(own, { recursive: true, force: true })
  }
})

import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { createDicomwebClient, jsonValue } from '@btt/connectors'
import { type OrthancServer, orthancBinary, startOrthanc, tool } from '@btt/testing'
import { afterAll, beforeAll, expect, test } from 'vitest'
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
    expect(first.out).toMatch(/^ {2}charge \d+\.\d{2} CNY$/m) // priced with the model's schedule
    const second = captureIo()
    expect(await main(args, second.io)).toBe(0)
    expect(second.out).toContain('0 study(ies) analysed')
    // --sr-only, on a fresh job store: the study again, its SR, no second SEG
    const srOnly = captureIo()
    const jobs = ['--jobs', join(dir, 'jobs-sr-only.sqlite')]
    expect(await main([...args.slice(0, 5), ...jobs, '--sr-only'], srOnly.io)).toBe(0)
    expect(srOnly.out).toMatch(
      new RegExp(`✔ study ${study.replaceAll('.', '\\.')}: 1 finding\\(s\\), SR [0-9.]+\\n`),
    )
    const pacs = createDicomwebClient({ url: orthanc.dicomweb })
    expect(await pacs.searchSeries(study, { Modality: 'SEG' })).toHaveLength(1) // from the first run
    // same study, instances and model: the same SR again (derived UIDs), not a second report
    const instances = await pacs.searchInstances(study)
    expect(instances.filter((i) => jsonValue(i, '00080060') === 'SR')).toHaveLength(1)
  },
)

test.skipIf(!orthancBinary() || !tool('storescu', 'dcmtk'))(
  'btt pacs watch --aet receives a study by C-STORE (dcmtk storescu), stores SR and SEG, stops on abort',
  async () => {
    const study = '1.2.826.0.1.3680043.10.1398.701'
    const file = join(dir, 'pushed.dcm')
    writeFileSync(
      file,
      writeDicom({
        frames: [syntheticChest({ seed: 11, nodules: [{ x: 300, y: 200, radius: 12 }] })],
        rows: 512,
        columns: 512,
        studyInstanceUid: study,
      }),
    )
    const cap = captureIo()
    const abort = new AbortController()
    const running = main(
      [
        'pacs',
        'watch',
        '--dicomweb',
        orthanc.dicomweb,
        '--jobs',
        join(dir, 'jobs-aet.sqlite'),
        '--interval',
        '3600',
        '--aet',
        'BTT_CLI',
        '--port',
        '0',
        '--spool',
        join(dir, 'spool'),
        '--study-quiet',
        '0.2',
      ],
      { ...cap.io, signal: abort.signal },
    )
    const until = async (pattern: RegExp) => {
      for (let i = 0; i < 300 && !pattern.test(cap.out); i++)
        await new Promise((r) => setTimeout(r, 50))
      return cap.out.match(pattern)
    }
    try {
      const listening = await until(/receiving C-STORE as BTT_CLI on port (\d+)/)
      expect(listening, cap.out + cap.err).not.toBeNull()
      await new Promise<void>((resolve, reject) =>
        execFile('storescu', ['-aec', 'BTT_CLI', '127.0.0.1', listening![1]!, file], (e) =>
          e ? reject(e) : resolve(),
        ),
      )
      expect(
        await until(new RegExp(`✔ study ${study.replaceAll('.', '\\.')}: 1 finding`)),
      ).not.toBeNull()
      expect(cap.out).toMatch(/, SR [0-9.]+, SEG [0-9.]+/)
    } finally {
      abort.abort()
    }
    expect(await running).toBe(0)
    const pacs = createDicomwebClient({ url: orthanc.dicomweb })
    expect(await pacs.searchSeries(study, { Modality: 'SR' })).toHaveLength(1)
    expect(await pacs.searchSeries(study, { Modality: 'SEG' })).toHaveLength(1)
  },
)

test('btt pacs watch: a bad --port or --interval is a usage error', async () => {
  const cap = captureIo()
  const base = ['pacs', 'watch', '--dicomweb', 'http://127.0.0.1:9/dicom-web']
  expect(await main([...base, '--port', '70000'], cap.io)).toBe(2)
  expect(await main([...base, '--interval', 'soon'], cap.io)).toBe(2)
  expect(await main([...base, '--study-quiet', 'never'], cap.io)).toBe(2)
  expect(cap.err).toContain('--study-quiet must be a number of seconds')
  expect(cap.err).toContain('--port must be a port number')
  expect(cap.err).toContain('--interval must be a number of seconds from 1 to 86400')
})

test('btt pacs watch: an --interval that would hammer the PACS (under 1 s, or over a day: setTimeout overflows to 1 ms) and a --header without a name are refused', async () => {
  const base = ['pacs', 'watch', '--dicomweb', 'http://127.0.0.1:9/dicom-web', '--once']
  for (const extra of [
    ['--interval', '0.000001'],
    ['--interval', '1e30'],
    ['--header', 'NoColon'],
    ['--header', ': value'],
  ]) {
    const cap = captureIo()
    expect(await main([...base, ...extra, '--json'], cap.io), extra.join(' ')).toBe(2)
    expect(JSON.parse(cap.err)).toMatchObject({
      code: 'CLI_USAGE',
      message: expect.stringContaining(extra[0]!),
    })
  }
})

test('btt pacs watch --aet on a port in use: exits non-zero with the reason, not a watcher without an SCP', async () => {
  const { createServer } = await import('node:net')
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, resolve))
  const port = (taken.address() as import('node:net').AddressInfo).port
  const cap = captureIo()
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), 20_000) // a hang ends the test instead of the run
  try {
    const code = await main(
      [
        'pacs',
        'watch',
        '--dicomweb',
        'http://127.0.0.1:9/dicom-web',
        '--jobs',
        join(dir, 'jobs-busy.sqlite'),
        '--aet',
        'BTT_CLI',
        '--port',
        String(port),
        '--spool',
        join(dir, 'spool-busy'),
      ],
      { ...cap.io, signal: abort.signal },
    )
    expect(abort.signal.aborted).toBe(false)
    expect(code).not.toBe(0)
    expect(cap.err).toContain(`port ${port}`)
    expect(cap.err).toContain('EADDRINUSE')
    expect(cap.out).not.toContain('watching')
  } finally {
    clearTimeout(timer)
    taken.close()
  }
})

test.skipIf(!orthancBinary())(
  'btt pacs watch --once exits 1 when a study failed (it exited 0 with the failure only printed)',
  async () => {
    const study = '1.2.826.0.1.3680043.10.1398.702'
    await createDicomwebClient({ url: orthanc.dicomweb }).store([
      writeDicom({
        frames: [syntheticChest({ seed: 12, nodules: [] })],
        rows: 512,
        columns: 512,
        studyInstanceUid: study,
      }),
    ])
    const cap = captureIo()
    const args = ['pacs', 'watch', '--dicomweb', orthanc.dicomweb, '--once']
    const jobs = ['--jobs', join(dir, 'jobs-failing.sqlite'), '--model', join(dir, 'none.json')]
    expect(await main([...args, ...jobs], cap.io)).toBe(1)
    expect(cap.out).toContain(`✖ study ${study}: `)
    expect(cap.out).toMatch(/\d+ study\(ies\) analysed, \d+ failed; jobs in /)
  },
)

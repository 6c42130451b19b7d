import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort, tool } from '@btt/testing'
import { afterAll, expect, test } from 'vitest'
import { createDevicePlugin } from './devicePlugin.js'
import { startGateway } from './gateway.js'
import { acquireStudy, runImagingDevice, STUDY } from './imagingDevice.js'
import { readReport } from './readReport.js'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-example-device-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

test('the modality sends its study by C-STORE and gets the SR back with the finding on the right image', async () => {
  const dir = tempDir()
  const lines = (await runImagingDevice(dir)).join('\n')
  expect(lines).toContain(`complete (2 instances)`)
  expect(lines).toContain(`4. sent 2 images; received SR for study ${STUDY}`)
  expect(lines).toMatch(
    new RegExp(`finding: Pulmonary nodule, probability \\d+\\.\\d%, on image ${STUDY}\\.1\\.1\\n`),
  )
  expect(lines).not.toContain(`on image ${STUDY}.1.2`)
  expect(lines).toContain('study: Pulmonary nodule: Present')
  // the file the modality received, read again from disk
  const received = join(dir, 'device', 'received', STUDY)
  const srs = readdirSync(received).filter((f) => f.endsWith('.dcm'))
  expect(srs).toHaveLength(1)
  const report = readReport(new Uint8Array(readFileSync(join(received, srs[0]!))))
  expect(report.studyInstanceUid).toBe(STUDY)
  expect(report.findings.map((f) => f.image)).toEqual([`${STUDY}.1.1`])
  expect(report.findings[0]!.probability).toBeGreaterThan(0.5)
})

// dcmtk as the modality, independent of the SDK: storescu sends the study to the gateway, and
// storescp receives the SR, which dcmdump then reads.
const dcmtk = ['storescu', 'storescp', 'dcmdump'].every((t) => tool(t, 'dcmtk'))
test.skipIf(!dcmtk)(
  'with dcmtk as the modality: storescu in, SR out to storescp, read by dcmdump',
  async () => {
    const dir = tempDir()
    const files = acquireStudy(dir)
    const inbox = join(dir, 'dcmtk-inbox')
    mkdirSync(inbox)
    const port = await freePort()
    const storescp: ChildProcess = spawn(
      'storescp',
      ['-aet', 'DCMTK', '-od', inbox, String(port)],
      {
        stdio: 'ignore',
      },
    )
    const gateway = await startGateway({ dir: join(dir, 'gateway') })
    try {
      gateway.addPeer('DCMTK', { host: '127.0.0.1', port })
      // asynchronously: the gateway answering it runs on this thread
      await promisify(execFile)('storescu', [
        '-aet',
        'DCMTK',
        '-aec',
        gateway.aet,
        '127.0.0.1',
        String(gateway.port),
        ...files,
      ])
      const deadline = Date.now() + 30_000
      let got: string[] = []
      while (got.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200))
        got = readdirSync(inbox).filter((f) => !f.endsWith('.tmp') && !f.startsWith('.'))
      }
      expect(got).toHaveLength(1)
      await new Promise((r) => setTimeout(r, 300)) // storescp has closed the file once released
      const dump = execFileSync('dcmdump', [join(inbox, got[0]!)], { encoding: 'utf8' })
      expect(dump).toMatch(/\(0008,0060\) CS \[SR\]/)
      expect(dump).toContain(`(0020,000d) UI [${STUDY}]`)
      expect(dump).toContain(`[${STUDY}.1.1]`)
      expect(dump).toMatch(/\[Pulmonary nodule\]/)
    } finally {
      gateway.close()
      storescp.kill()
    }
  },
)

test('a study without an opacity comes back as an SR with no finding and the nodule absent', async () => {
  const dir = tempDir()
  const gateway = await startGateway({ dir: join(dir, 'gateway') })
  const device = await createDevicePlugin({
    aet: 'DX_ROOM_3',
    dir: join(dir, 'device'),
    gateway: { host: '127.0.0.1', port: gateway.port, calledAet: gateway.aet },
  })
  try {
    gateway.addPeer('DX_ROOM_3', { host: '127.0.0.1', port: device.port })
    const study = `${STUDY}.9`
    const { received, report } = await device.sendStudy(acquireStudy(dir, study, false))
    expect(received.map((r) => r.modality)).toEqual(['SR'])
    expect(report.studyInstanceUid).toBe(study)
    expect(report.findings).toEqual([])
    expect(report.evaluations).toEqual([{ concept: 'Pulmonary nodule', value: 'Absent' }])
  } finally {
    device.close()
    gateway.close()
  }
})

test('a gateway that does not answer fails the send', async () => {
  const dir = tempDir()
  const device = await createDevicePlugin({
    aet: 'DX_ROOM_4',
    dir: join(dir, 'device'),
    gateway: { host: '127.0.0.1', port: await freePort(), calledAet: 'BTT', timeoutSeconds: 5 },
  })
  try {
    await expect(device.sendStudy(acquireStudy(dir))).rejects.toThrow(/DIMSE|ECONNREFUSED/)
  } finally {
    device.close()
  }
})

import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { type AddressInfo, connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeDicom } from '@btt/compute/testing'
import { freePort, orthancBinary, tool, useOrthanc } from '@btt/testing'
import { afterAll, describe, expect, test } from 'vitest'
import { createDicomwebClient } from '../src/dicomweb/createDicomwebClient.js'
import { type CompletedStudy, createStoreScp } from '../src/dimse/createStoreScp.js'
import { echoScu, findStudiesScu, storeScu } from '../src/dimse/scu.js'

const hasDcmtk = ['storescu', 'storescp', 'echoscu'].every((t) => tool(t, 'dcmtk'))
const dir = mkdtempSync(join(tmpdir(), 'btt-dimse-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const STUDY = '1.2.826.0.1.3680043.10.1398.800'
const files = [1, 2].map((n) => {
  const file = join(dir, `in-${n}.dcm`)
  writeFileSync(
    file,
    writeDicom({
      frames: [new Uint16Array(64 * 64).fill(n)],
      rows: 64,
      columns: 64,
      studyInstanceUid: STUDY,
      sopInstanceUid: `${STUDY}.1.${n}`,
      patientId: 'DIMSE-1',
    }),
  )
  return file
})
/** Runs a dcmtk tool without blocking the event loop (our SCP answers it from this process). */
const run = (cmd: string, args: string[]) =>
  new Promise<{ status: number | null; stderr: string }>((resolve) => {
    execFile(cmd, args, { timeout: 30_000 }, (error, _stdout, stderr) =>
      resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
    )
  })

describe.skipIf(!hasDcmtk)('DIMSE with dcmtk as the peer', () => {
  test('C-STORE SCP: storescu pushes a study; it is spooled and completes on association release', async () => {
    const spool = join(dir, 'spool')
    const scp = createStoreScp({ port: 0, aet: 'BTT', spoolDir: spool, quietSeconds: 0.1 })
    const completed: CompletedStudy[] = []
    scp.onStudyComplete((s) => completed.push(s))
    const port = await scp.listen()
    try {
      const echo = await run('echoscu', ['-aec', 'BTT', '127.0.0.1', String(port)])
      expect(echo.status, echo.stderr).toBe(0)
      const store = await run('storescu', [
        '-aec',
        'BTT',
        '-aet',
        'MODALITY',
        '127.0.0.1',
        String(port),
        ...files,
      ])
      expect(store.status, store.stderr).toBe(0)
      await new Promise((r) => setTimeout(r, 200))
      expect(
        readdirSync(join(spool, STUDY))
          .filter((f) => f.endsWith('.dcm'))
          .sort(),
      ).toEqual([`${STUDY}.1.1.dcm`, `${STUDY}.1.2.dcm`])
      expect(completed).toHaveLength(1)
      expect(completed[0]).toMatchObject({
        studyInstanceUid: STUDY,
        callingAet: 'MODALITY',
        reason: 'quiet',
        update: false,
      })
      expect(completed[0]!.files).toHaveLength(2)

      // garbage on the port: that connection is dropped, the SCP keeps serving
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(Buffer.from('GET / HTTP/1.1\r\n\r\n\x01\x00\x00\x00\xff\xff\xff\xffgarbage'))
          setTimeout(() => {
            socket.destroy()
            resolve()
          }, 200)
        })
        socket.on('error', () => resolve())
      })
      expect((await run('echoscu', ['-aec', 'BTT', '127.0.0.1', String(port)])).status).toBe(0)

      // a late instance for the same study completes it again, with every file
      const late = join(dir, 'late.dcm')
      writeFileSync(
        late,
        writeDicom({
          frames: [new Uint16Array(16)],
          rows: 4,
          columns: 4,
          studyInstanceUid: STUDY,
          sopInstanceUid: `${STUDY}.1.3`,
        }),
      )
      expect((await run('storescu', ['-aec', 'BTT', '127.0.0.1', String(port), late])).status).toBe(
        0,
      )
      await new Promise((r) => setTimeout(r, 200))
      expect(completed).toHaveLength(2)
      expect(completed[1]!.files).toHaveLength(3)
      expect(completed[1]!.update).toBe(true)
    } finally {
      scp.close()
    }
  })

  test('instance counts: a study announced as 3 instances waits for the third; an aborted one completes on the timeout', async () => {
    const COUNTED = '1.2.826.0.1.3680043.10.1398.801'
    const instance = (study: string, n: number) => {
      const file = join(dir, `counted-${study.slice(-3)}-${n}.dcm`)
      writeFileSync(
        file,
        writeDicom({
          frames: [new Uint16Array(16).fill(n)],
          rows: 4,
          columns: 4,
          studyInstanceUid: study,
          sopInstanceUid: `${study}.1.${n}`,
          extra: { NumberOfStudyRelatedInstances: 3 },
        }),
      )
      return file
    }
    // the quiet period is long enough that a loaded machine starting storescu twice stays inside it
    const quietSeconds = 3
    const scp = createStoreScp({
      port: 0,
      aet: 'BTT',
      spoolDir: join(dir, 'spool-counted'),
      incompleteAfterSeconds: quietSeconds,
    })
    const completed: CompletedStudy[] = []
    scp.onStudyComplete((s) => completed.push(s))
    const port = String(await scp.listen())
    try {
      // two of three, released: not complete (the release answer follows our decision)
      const first = await run('storescu', [
        '-aec',
        'BTT',
        '127.0.0.1',
        port,
        instance(COUNTED, 1),
        instance(COUNTED, 2),
      ])
      expect(first.status, first.stderr).toBe(0)
      expect(completed).toEqual([])
      // the third, in a new association: complete by count, with all three files
      expect(
        (await run('storescu', ['-aec', 'BTT', '127.0.0.1', port, instance(COUNTED, 3)])).status,
      ).toBe(0)
      expect(completed).toHaveLength(1)
      expect(completed[0]).toMatchObject({
        studyInstanceUid: COUNTED,
        reason: 'count',
        expectedInstances: 3,
      })
      expect(completed[0]!.files).toHaveLength(3)

      // an aborted association: the study waits, then completes on the timeout with what came
      const ABORTED = '1.2.826.0.1.3680043.10.1398.802'
      const sent = Date.now()
      await run('storescu', ['--abort', '-aec', 'BTT', '127.0.0.1', port, instance(ABORTED, 1)])
      expect(completed).toHaveLength(1)
      const deadline = Date.now() + (quietSeconds + 20) * 1000
      while (completed.length < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50))
      expect(completed).toHaveLength(2)
      // not before the quiet period (timer granularity allowed for)
      expect(Date.now() - sent).toBeGreaterThanOrEqual(quietSeconds * 1000 - 50)
      expect(completed[1]).toMatchObject({ studyInstanceUid: ABORTED, reason: 'timeout' })
      expect(completed[1]!.files).toHaveLength(1)
      // the counted study was left waiting for nothing: its quiet period passed without a second firing
      expect(completed.filter((s) => s.studyInstanceUid === COUNTED)).toHaveLength(1)
    } finally {
      scp.close()
    }
  })

  test('C-ECHO and C-STORE SCU: dcmtk storescp receives what we send', async () => {
    const port = await freePort()
    const out = join(dir, 'storescp')
    rmSync(out, { recursive: true, force: true })
    spawnSync('mkdir', ['-p', out])
    const peer: ChildProcess = spawn('storescp', ['-aet', 'STORESCP', '-od', out, String(port)], {
      stdio: 'ignore',
    })
    try {
      // storescp is up once it answers C-ECHO (a loaded machine may take seconds to start it)
      const echo = () =>
        echoScu({ host: '127.0.0.1', port, calledAet: 'STORESCP' }).catch(() => false)
      let up = false
      for (let i = 0; i < 100 && !up; i++) {
        up = await echo()
        if (!up) await new Promise((r) => setTimeout(r, 100))
      }
      expect(up).toBe(true)
      const results = await storeScu({ host: '127.0.0.1', port, calledAet: 'STORESCP' }, files)
      expect(results.map((r) => r.ok)).toEqual([true, true])
      const received = readdirSync(out)
      expect(received).toHaveLength(2)
    } finally {
      peer.kill()
    }
    await expect(
      echoScu({ host: '127.0.0.1', port: await freePort(), calledAet: 'NOBODY' }),
    ).rejects.toMatchObject({ code: 'DIMSE_FAILED' })
  })
})

describe.skipIf(!orthancBinary())('C-FIND SCU against Orthanc', () => {
  const server = useOrthanc()
  test('finds the study stored by STOW-RS', async () => {
    await createDicomwebClient({ url: server().dicomweb }).store(
      files.map((f) => new Uint8Array(readFileSync(f))),
    )
    const found = await findStudiesScu(
      { host: '127.0.0.1', port: server().dicomPort, calledAet: server().aet },
      { PatientID: 'DIMSE-1' },
    )
    expect(found.map((s) => s.StudyInstanceUID)).toEqual([STUDY])
  })
})

test('a peer that accepts the connection and never answers: a DIMSE_FAILED error after the timeout, not a hang', async () => {
  const sockets: import('node:net').Socket[] = []
  const silent = createServer((socket) => sockets.push(socket))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  const { port } = silent.address() as AddressInfo
  try {
    const error = await echoScu({
      host: '127.0.0.1',
      port,
      calledAet: 'SILENT',
      timeoutSeconds: 0.3,
    }).catch((e) => e)
    expect(error).toMatchObject({ code: 'DIMSE_FAILED' })
    expect(String(error.message)).toMatch(/SILENT@127\.0\.0\.1:\d+: .*timeout/i)
  } finally {
    for (const s of sockets) s.destroy()
    silent.close()
  }
})

/** An A-ASSOCIATE-RQ PDU (PS3.8 9.3.2) for Verification in implicit VR little endian. */
function associateRq(called: string, calling: string): Buffer {
  const item = (type: number, body: Buffer) => {
    const head = Buffer.alloc(4)
    head.writeUInt8(type, 0)
    head.writeUInt16BE(body.length, 2)
    return Buffer.concat([head, body])
  }
  const uid = (type: number, value: string) => item(type, Buffer.from(value, 'ascii'))
  const maxLength = Buffer.alloc(4)
  maxLength.writeUInt32BE(16384)
  const items = Buffer.concat([
    uid(0x10, '1.2.840.10008.3.1.1.1'),
    item(
      0x20,
      Buffer.concat([
        Buffer.from([1, 0, 0, 0]),
        uid(0x30, '1.2.840.10008.1.1'),
        uid(0x40, '1.2.840.10008.1.2'),
      ]),
    ),
    item(0x50, Buffer.concat([item(0x51, maxLength), uid(0x52, '1.2.826.0.1.3680043.10.1398')])),
  ])
  const fixed = Buffer.alloc(68)
  fixed.writeUInt16BE(1, 0)
  fixed.write(called.padEnd(16), 4, 'ascii')
  fixed.write(calling.padEnd(16), 20, 'ascii')
  const body = Buffer.concat([fixed, items])
  const head = Buffer.alloc(6)
  head.writeUInt8(0x01, 0)
  head.writeUInt32BE(body.length, 2)
  return Buffer.concat([head, body])
}

/** Connects, sends `first` (if any), then stays silent; resolves with what came back and when it closed. */
function silentPeer(port: number, first?: Buffer) {
  return new Promise<{ received: Buffer; closedAfterMs: number }>((resolve, reject) => {
    const started = Date.now()
    const chunks: Buffer[] = []
    const socket = connect(port, '127.0.0.1', () => first && socket.write(first))
    socket.on('data', (d) => chunks.push(d))
    socket.on('error', () => {})
    socket.on('close', () =>
      resolve({ received: Buffer.concat(chunks), closedAfterMs: Date.now() - started }),
    )
    setTimeout(() => {
      socket.destroy()
      reject(new Error('the SCP never closed the silent connection'))
    }, 10_000)
  })
}

test('a port in use: listen() rejects with SCP_LISTEN_FAILED naming the port and EADDRINUSE', async () => {
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, resolve))
  const { port } = taken.address() as AddressInfo
  try {
    const scp = createStoreScp({ port, aet: 'BTT', spoolDir: join(dir, 'spool-busy') })
    const error = await scp.listen().catch((e) => e)
    expect(error).toMatchObject({
      code: 'SCP_LISTEN_FAILED',
      kind: 'unavailable',
      details: { port, errorCode: 'EADDRINUSE' },
    })
    expect(error.shortMessage).toContain(`port ${port}: the port is in use (EADDRINUSE)`)
    scp.close()
  } finally {
    taken.close()
  }
})

test('ARTIM and idle timers: a peer that connects and says nothing is dropped; an association that goes silent is aborted', async () => {
  const scp = createStoreScp({
    port: 0,
    aet: 'BTT',
    spoolDir: join(dir, 'spool-idle'),
    artimSeconds: 0.3,
    idleSeconds: 0.5,
  })
  const port = await scp.listen()
  try {
    const mute = await silentPeer(port)
    expect(mute.received.length).toBe(0)
    expect(mute.closedAfterMs).toBeGreaterThanOrEqual(250)

    const idle = await silentPeer(port, associateRq('BTT', 'SILENT'))
    expect(idle.received[0]).toBe(0x02) // A-ASSOCIATE-AC first
    const ac = 6 + idle.received.readUInt32BE(2)
    expect(idle.received[ac]).toBe(0x07) // then A-ABORT, once idle
    expect(idle.closedAfterMs).toBeGreaterThanOrEqual(450)
    // the server still serves
    expect((await silentPeer(port, associateRq('BTT', 'NEXT'))).received[0]).toBe(0x02)
  } finally {
    scp.close()
  }
})

describe.skipIf(!hasDcmtk || !tool('dcmodify', 'dcmtk'))('study completion under load', () => {
  test('an instance without Study Instance UID gets a failure status (A900); the association goes on', async () => {
    const NOUID = '1.2.826.0.1.3680043.10.1398.803'
    const good = join(dir, 'with-uid.dcm')
    const bad = join(dir, 'no-study-uid.dcm')
    for (const [file, n] of [
      [good, 1],
      [bad, 2],
    ] as const)
      writeFileSync(
        file,
        writeDicom({
          frames: [new Uint16Array(16)],
          rows: 4,
          columns: 4,
          studyInstanceUid: NOUID,
          sopInstanceUid: `${NOUID}.1.${n}`,
        }),
      )
    expect((await run('dcmodify', ['-nb', '-ea', '(0020,000D)', bad])).status).toBe(0)
    const scp = createStoreScp({
      port: 0,
      aet: 'BTT',
      spoolDir: join(dir, 'spool-nouid'),
      quietSeconds: 0.1,
    })
    const port = String(await scp.listen())
    try {
      // the bad one first: the good one after it must still go through the same association
      const sent = await run('storescu', ['-v', '-nh', '-aec', 'BTT', '127.0.0.1', port, bad, good])
      expect(sent.stderr).toMatch(/Received Store Response \(Error: DataSetDoesNotMatchSOPClass\)/)
      expect(sent.stderr).not.toMatch(/Abort/i)
      expect(sent.stderr).toMatch(/Received Store Response \(Success\)/)
      expect(readdirSync(join(dir, 'spool-nouid', NOUID))).toContain(`${NOUID}.1.1.dcm`)
      // with no error listener (as the CLI runs it) nothing throws; with one, the refusal is told
      const refused: Error[] = []
      scp.onError((e) => refused.push(e))
      expect((await run('storescu', ['-aec', 'BTT', '127.0.0.1', port, bad])).status).not.toBe(0)
      expect(refused).toEqual([expect.objectContaining({ code: 'SCP_INVALID_INSTANCE' })])
    } finally {
      scp.close()
    }
  })

  test('50 concurrent storescu associations for one study: one completion with all 50; a late instance: one update', async () => {
    const LOAD = '1.2.826.0.1.3680043.10.1398.804'
    const one = (n: number) => {
      const file = join(dir, `load-${n}.dcm`)
      writeFileSync(
        file,
        writeDicom({
          frames: [new Uint16Array(16).fill(n)],
          rows: 4,
          columns: 4,
          studyInstanceUid: LOAD,
          sopInstanceUid: `${LOAD}.1.${n}`,
        }),
      )
      return file
    }
    const scp = createStoreScp({
      port: 0,
      aet: 'BTT',
      spoolDir: join(dir, 'spool-load'),
      quietSeconds: 1,
    })
    const completed: CompletedStudy[] = []
    scp.onStudyComplete((s) => completed.push(s))
    const port = String(await scp.listen())
    try {
      const files = Array.from({ length: 50 }, (_, i) => one(i + 1))
      // staggered starts, as modalities would send: associations open and close all the while
      const sent = await Promise.all(
        files.map(async (file, i) => {
          await new Promise((r) => setTimeout(r, (i % 10) * 30))
          return run('storescu', ['-aec', 'BTT', '127.0.0.1', port, file])
        }),
      )
      expect(sent.map((r) => r.status)).toEqual(files.map(() => 0))
      for (let i = 0; i < 60 && completed.length === 0; i++)
        await new Promise((r) => setTimeout(r, 100))
      await new Promise((r) => setTimeout(r, 1500)) // long enough for any second completion
      expect(completed).toHaveLength(1)
      expect(completed[0]).toMatchObject({ studyInstanceUid: LOAD, reason: 'quiet', update: false })
      expect(completed[0]!.files).toHaveLength(50)

      expect((await run('storescu', ['-aec', 'BTT', '127.0.0.1', port, one(51)])).status).toBe(0)
      for (let i = 0; i < 40 && completed.length === 1; i++)
        await new Promise((r) => setTimeout(r, 100))
      expect(completed).toHaveLength(2)
      expect(completed[1]).toMatchObject({ studyInstanceUid: LOAD, update: true })
      expect(completed[1]!.files).toHaveLength(51)
    } finally {
      scp.close()
    }
  }, 60_000)
})

test('arguments are checked: an SCU peer with port 0 or a 17-character AE title; SCP options', async () => {
  const invalid = { code: 'CONNECTORS_INVALID_ARGUMENT' }
  await expect(echoScu({ host: '127.0.0.1', port: 0, calledAet: 'X' })).rejects.toMatchObject(
    invalid,
  )
  await expect(
    storeScu({ host: '127.0.0.1', port: 104, calledAet: 'A'.repeat(17) }, []),
  ).rejects.toMatchObject(invalid)
  expect(() => createStoreScp({ port: 70_000, aet: 'BTT', spoolDir: join(dir, 'never') })).toThrow(
    expect.objectContaining(invalid),
  )
  expect(() =>
    createStoreScp({ port: 0, aet: 'BTT', spoolDir: join(dir, 'never'), idleSeconds: 0 }),
  ).toThrow(expect.objectContaining(invalid))
})

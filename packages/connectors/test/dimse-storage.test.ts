import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeDicom } from '@btt/compute/testing'
import { tool } from '@btt/testing'
import { afterAll, describe, expect, test } from 'vitest'
import { type CompletedStudy, createStoreScp } from '../src/dimse/createStoreScp.js'
import { STORAGE_SOP_CLASSES } from '../src/dimse/storageSopClasses.js'
import { createMeasurementReport } from '../src/results/createMeasurementReport.js'
import { createSegmentations } from '../src/results/createSegmentations.js'
import { datasetOf, value } from './fixtures.js'
import { findingOf, imageOf, maskOf, resultOf } from './resultFixture.js'

// The C-STORE SCP against dcmtk's storescu: the objects BTT writes (SEG, SR), every Storage SOP
// Class of PS3.4 Table B.5-1, an unknown class, and the transfer syntaxes dcmtk can produce.
const storescu = tool('storescu', 'dcmtk')
const dir = mkdtempSync(join(tmpdir(), 'btt-dimse-storage-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const STUDY = '1.2.826.0.1.3680043.10.1398.820'
const SEG = '1.2.840.10008.5.1.4.1.1.66.4'
const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33'
const DX = '1.2.840.10008.5.1.4.1.1.1.1'
const PRIVATE = '1.2.826.0.1.3680043.10.1398.99.1'
const EXPLICIT = '1.2.840.10008.1.2.1'
const IMPLICIT = '1.2.840.10008.1.2'
/** Runs a dcmtk tool without blocking the event loop (our SCP answers it from this process). */
const run = (cmd: string, args: string[]) =>
  new Promise<{ status: number; stderr: string }>((resolve) => {
    execFile(cmd, args, { timeout: 60_000 }, (error, _stdout, stderr) =>
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
    )
  })
const write = (name: string, bytes: Uint8Array) => {
  const file = join(dir, name)
  writeFileSync(file, bytes)
  return file
}
const instance = (sop: string, extra: Record<string, unknown> = {}) =>
  writeDicom({
    frames: [new Uint16Array(64).fill(7)],
    rows: 8,
    columns: 8,
    studyInstanceUid: STUDY,
    seriesInstanceUid: `${STUDY}.1`,
    sopInstanceUid: sop,
    patientId: 'STORAGE-1',
    extra,
  })

/** A C-STORE SCP on a free loopback port, closed after `fn`. */
async function withScp<T>(
  spool: string,
  fn: (port: string, completed: CompletedStudy[]) => Promise<T>,
) {
  const scp = createStoreScp({ port: 0, aet: 'BTT', spoolDir: join(dir, spool), quietSeconds: 0.1 })
  const completed: CompletedStudy[] = []
  scp.onStudyComplete((s) => completed.push(s))
  const port = String(await scp.listen())
  try {
    return await fn(port, completed)
  } finally {
    scp.close()
  }
}
/**
 * storescu arguments proposing exactly `sopClasses` (an association configuration profile, PS3.8
 * contexts as dcmtk's `-xf` reads them): without one, storescu proposes only the classes it knows,
 * and by default not those of the files when its 128 contexts are taken by its own list.
 */
function profile(name: string, sopClasses: readonly string[], syntaxes = [EXPLICIT, IMPLICIT]) {
  const file = join(dir, `${name}.cfg`)
  const lines = [
    '[[TransferSyntaxes]]',
    '[Syntaxes]',
    ...syntaxes.map((ts, i) => `TransferSyntax${i + 1} = ${ts}`),
    '[[PresentationContexts]]',
    '[Contexts]',
    ...sopClasses.map((uid, i) => `PresentationContext${i + 1} = ${uid}\\Syntaxes`),
    '[[Profiles]]',
    '[Default]',
    'PresentationContexts = Contexts',
  ]
  writeFileSync(file, `${lines.join('\n')}\n`)
  return ['-xf', file, 'Default']
}
const sopClassOf = (file: string) =>
  value(datasetOf(new Uint8Array(readFileSync(file))).dict, '00080016')

describe.skipIf(!storescu)(
  'C-STORE SCP: storage SOP classes, with dcmtk storescu as the sender',
  () => {
    test('the DICOM SEG and SR that BTT writes are stored and answered Success (SEG was refused)', async () => {
      const source = write('source.dcm', instance(`${STUDY}.1.1`))
      const mask = maskOf([9, 10, 17, 18])
      const result = resultOf([
        { ...imageOf(`${STUDY}.1.1`, [findingOf('nodule', mask)]), studyInstanceUid: STUDY },
      ])
      const [segBytes] = createSegmentations(result, { sources: [readFileSync(source)] })
      const seg = write('result.seg.dcm', segBytes!)
      const sr = write(
        'result.sr.dcm',
        createMeasurementReport(result, { sources: [readFileSync(source)] }),
      )
      const segSop = String(value(datasetOf(segBytes!).dict, '00080018'))
      const srSop = String(value(datasetOf(new Uint8Array(readFileSync(sr))).dict, '00080018'))
      await withScp('spool-seg', async (port, completed) => {
        const sent = await run(storescu!, [
          '-v',
          '-R', // the classes of the files only, as a modality or PACS proposes them
          '-aec',
          'BTT',
          '127.0.0.1',
          port,
          seg,
          sr,
        ])
        expect(sent.status, sent.stderr).toBe(0)
        expect(sent.stderr).not.toMatch(/No presentation context|Abort|Reject/i)
        expect(sent.stderr.match(/Received Store Response \(Success\)/g)).toHaveLength(2)
        const stored = join(dir, 'spool-seg', STUDY, `${segSop}.dcm`)
        expect(existsSync(stored)).toBe(true)
        expect(sopClassOf(stored)).toBe(SEG)
        expect(sopClassOf(join(dir, 'spool-seg', STUDY, `${srSop}.dcm`))).toBe(COMPREHENSIVE_SR)
        await new Promise((r) => setTimeout(r, 300))
        expect(completed).toHaveLength(1)
        expect(completed[0]!.files).toHaveLength(2)
      })
    })

    test(`every Storage SOP Class of Table B.5-1 (${STORAGE_SOP_CLASSES.length}) is accepted and stored`, async () => {
      const files = STORAGE_SOP_CLASSES.map(([uid], i) =>
        write(`class-${i}.dcm`, instance(`${STUDY}.2.${i + 1}`, { SOPClassUID: uid })),
      )
      await withScp('spool-classes', async (port) => {
        // at most 128 presentation contexts per association: two associations
        for (const [n, part] of [files.slice(0, 90), files.slice(90)].entries()) {
          const classes = part.map((_, i) => STORAGE_SOP_CLASSES[n * 90 + i]![0])
          const sent = await run(storescu!, [
            '-v',
            ...profile(`classes-${n}`, classes),
            '-aec',
            'BTT',
            '127.0.0.1',
            port,
            ...part,
          ])
          expect(sent.stderr).not.toMatch(/No presentation context/i)
          expect(sent.stderr.match(/Received Store Response \(Success\)/g)).toHaveLength(
            part.length,
          )
          expect(sent.status, sent.stderr).toBe(0)
        }
      })
      const spooled = readdirSync(join(dir, 'spool-classes', STUDY)).filter((f) =>
        f.endsWith('.dcm'),
      )
      expect(spooled).toHaveLength(STORAGE_SOP_CLASSES.length)
      expect(
        STORAGE_SOP_CLASSES.map((_, i) =>
          sopClassOf(join(dir, 'spool-classes', STUDY, `${STUDY}.2.${i + 1}.dcm`)),
        ),
      ).toEqual(STORAGE_SOP_CLASSES.map(([uid]) => uid))
    }, 60_000)

    test('an unknown (private) SOP class is refused in negotiation; the known one beside it is stored', async () => {
      const unknown = write('private-class.dcm', instance(`${STUDY}.3.1`, { SOPClassUID: PRIVATE }))
      const known = write('known-class.dcm', instance(`${STUDY}.3.2`))
      await withScp('spool-unknown', async (port) => {
        const sent = await run(storescu!, [
          '-v',
          '+v', // the presentation contexts as answered
          '-nh', // go on after the file it cannot send
          ...profile('unknown', [PRIVATE, DX]),
          '-aec',
          'BTT',
          '127.0.0.1',
          port,
          unknown,
          known,
        ])
        // that context alone is refused, as not supported (result 3); the association goes on
        expect(sent.stderr).toMatch(
          /Context ID: +1 \(Abstract Syntax Not Supported\)\n.*Abstract Syntax: 1\.2\.826\.0\.1\.3680043\.10\.1398\.99\.1/,
        )
        expect(sent.stderr).toMatch(/Context ID: +3 \(Accepted\)/)
        expect(sent.stderr).toMatch(
          /No presentation context for: .*1\.2\.826\.0\.1\.3680043\.10\.1398\.99\.1/,
        )
        expect(sent.stderr).not.toMatch(/Abort|Association Rejected/i)
        expect(sent.stderr.match(/Received Store Response \(Success\)/g)).toHaveLength(1)
      })
      expect(readdirSync(join(dir, 'spool-unknown', STUDY))).toEqual([`${STUDY}.3.2.dcm`])
    })
  },
)

// Each syntax dcmtk 3.6.7 can write: [name, its UID, the converter, the decoder back to explicit
// VR little endian, lossless]
const SYNTAXES = [
  ['implicit VR little endian', IMPLICIT, ['dcmconv', '+ti'], ['dcmconv', '+te'], true],
  ['explicit VR big endian', '1.2.840.10008.1.2.2', ['dcmconv', '+tb'], ['dcmconv', '+te'], true],
  ['RLE lossless', '1.2.840.10008.1.2.5', ['dcmcrle'], ['dcmdrle'], true],
  ['JPEG lossless SV1', '1.2.840.10008.1.2.4.70', ['dcmcjpeg'], ['dcmdjpeg'], true],
  ['JPEG lossless', '1.2.840.10008.1.2.4.57', ['dcmcjpeg', '+el'], ['dcmdjpeg'], true],
  ['JPEG extended (lossy)', '1.2.840.10008.1.2.4.51', ['dcmcjpeg', '+ee'], ['dcmdjpeg'], false],
  ['JPEG-LS lossless', '1.2.840.10008.1.2.4.80', ['dcmcjpls'], ['dcmdjpls'], true],
] as const
const converters = ['dcmconv', 'dcmcrle', 'dcmdrle', 'dcmcjpeg', 'dcmdjpeg', 'dcmcjpls', 'dcmdjpls']
const hasConverters = converters.every((t) => tool(t, 'dcmtk'))
const pixelsOf = (file: string) =>
  Buffer.from(
    (datasetOf(new Uint8Array(readFileSync(file))).dict['7FE00010']!.Value as ArrayBuffer[])[0]!,
  )

describe.skipIf(!storescu || !hasConverters)('C-STORE SCP: transfer syntaxes', () => {
  test('an instance sent in each syntax dcmtk writes is spooled in that syntax, and decodes to the pixels sent', async () => {
    const original = write(
      'ts-original.dcm',
      writeDicom({
        frames: [Uint16Array.from({ length: 32 * 32 }, (_, i) => (i * 37) % 4096)],
        rows: 32,
        columns: 32,
        studyInstanceUid: STUDY,
        sopInstanceUid: `${STUDY}.4.0`,
      }),
    )
    await withScp('spool-ts', async (port) => {
      for (const [i, [name, uid, [convert, ...how]]] of SYNTAXES.entries()) {
        const sop = `${STUDY}.4.${i + 1}`
        const sent = join(dir, `ts-${i}.dcm`)
        const made = await run(convert, [...how, original, sent])
        expect(made.status, `${name}: ${made.stderr}`).toBe(0)
        // a new SOP Instance UID per syntax, so that each is a file of its own in the spool
        expect((await run('dcmodify', ['-nb', '-m', `(0008,0018)=${sop}`, sent])).status).toBe(0)
        const stored = await run(storescu!, [
          '-v',
          ...profile(`ts-${i}`, [DX], [uid]),
          '-aec',
          'BTT',
          '127.0.0.1',
          port,
          sent,
        ])
        expect(stored.stderr, name).toMatch(/Received Store Response \(Success\)/)
        expect(stored.status, `${name}: ${stored.stderr}`).toBe(0)
      }
      // deflated is refused in negotiation (dcmjs-dimse would read the deflated bytes as plain
      // and every instance would fail); a sender offering another syntax beside it uses that one
      const deflated = join(dir, 'ts-deflated.dcm')
      expect((await run('dcmconv', ['+td', original, deflated])).status).toBe(0)
      const refused = await run(storescu!, [
        '-v',
        '+v',
        ...profile('ts-deflated', [DX], ['1.2.840.10008.1.2.1.99']),
        '-aec',
        'BTT',
        '127.0.0.1',
        port,
        deflated,
      ])
      expect(refused.stderr).toMatch(/Context ID: +1 \(Transfer Syntaxes Not Supported\)/)
      expect(refused.status).not.toBe(0)
    })
    const want = pixelsOf(original)
    for (const [i, [name, uid, , [decode, ...how], lossless]] of SYNTAXES.entries()) {
      const spooled = join(dir, 'spool-ts', STUDY, `${STUDY}.4.${i + 1}.dcm`)
      const meta = datasetOf(new Uint8Array(readFileSync(spooled))).meta
      expect(value(meta, '00020010'), name).toBe(uid)
      const decoded = join(dir, `ts-${i}-decoded.dcm`)
      const back = await run(decode, [...how, spooled, decoded])
      expect(back.status, `${name}: ${back.stderr}`).toBe(0)
      if (lossless) expect(pixelsOf(decoded).equals(want), name).toBe(true)
      else expect(pixelsOf(decoded).length, name).toBe(want.length)
    }
  }, 60_000)
})

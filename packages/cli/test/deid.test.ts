import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeDicom } from '@btt/compute/testing'
import { afterAll, describe, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-deid-cli-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const dicom = (n: number) =>
  writeDicom({
    frames: [new Uint16Array(16).fill(n)],
    rows: 4,
    columns: 4,
    patientName: 'Zhang^Wei',
    patientId: 'MRN-1',
    sopInstanceUid: `1.2.826.0.1.3680043.10.1398.42.${n}`,
  })

/** A folder of DICOM files: a.dcm, b.dcm (and series/c.dcm with `nested`). */
function study(nested = false) {
  const dir = tmp()
  writeFileSync(join(dir, 'a.dcm'), dicom(1))
  writeFileSync(join(dir, 'b.dcm'), dicom(2))
  if (nested) {
    mkdirSync(join(dir, 'series'))
    writeFileSync(join(dir, 'series', 'c.dcm'), dicom(3))
  }
  return dir
}
const snapshot = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((n) => {
      const p = join(dir, n)
      return [n, existsSync(p) && !readdirSafe(p) ? readFileSync(p).toString('base64') : 'dir']
    }),
  )
const readdirSafe = (p: string) => {
  try {
    readdirSync(p)
    return true
  } catch {
    return false
  }
}
const outputs = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((n) => n.endsWith('.dcm'))
    .sort()

describe('btt deid never writes into an input', () => {
  test('--out equal to the input folder is refused; the originals and the folder are untouched', async () => {
    const input = study()
    const before = snapshot(input)
    const cap = captureIo()
    const code = await main(['deid', input, '--out', input], cap.io)
    expect(code).toBe(5) // conflict
    expect(cap.err).toMatch(/DEID_OUTPUT_OVERLAPS_INPUT/)
    expect(snapshot(input)).toEqual(before) // no overwrite, no vault in the input
  })

  test('--out inside an input, or containing one, or a link to one: refused, nothing created', async () => {
    const input = study()
    const before = snapshot(input)
    for (const out of [join(input, 'deid'), join(input, 'x', 'y')]) {
      const cap = captureIo()
      expect(await main(['deid', input, '--out', out], cap.io)).toBe(5)
      expect(existsSync(out)).toBe(false)
    }
    const parent = tmp()
    const inner = join(parent, 'in')
    mkdirSync(inner)
    writeFileSync(join(inner, 'a.dcm'), dicom(1))
    expect(await main(['deid', inner, '--out', parent], captureIo().io)).toBe(5)
    expect(readdirSync(parent)).toEqual(['in'])
    const link = join(tmp(), 'link')
    symlinkSync(input, link)
    expect(await main(['deid', input, '--out', link], captureIo().io)).toBe(5)
    expect(await main(['deid', join(input, 'a.dcm'), '--out', input], captureIo().io)).toBe(5)
    // a vault inside an input tree is refused the same way
    const out = join(tmp(), 'out')
    expect(
      await main(['deid', input, '--out', out, '--vault', join(input, 'v.sqlite')], captureIo().io),
    ).toBe(5)
    expect(existsSync(out)).toBe(false)
    expect(snapshot(input)).toEqual(before)
  })

  test('an --out that is a file fails with the reason; no vault is left beside it', async () => {
    const input = study()
    const parent = tmp()
    const out = join(parent, 'taken')
    writeFileSync(out, 'not a folder')
    const cap = captureIo()
    expect(await main(['deid', input, '--out', out], cap.io)).toBe(9) // local I/O
    expect(cap.err).toMatch(/DEID_OUTPUT_FAILED/)
    expect(readdirSync(parent)).toEqual(['taken'])
  })

  test('an empty input folder is an error, not a silent success; nothing is created', async () => {
    const empty = tmp()
    writeFileSync(join(empty, '.hidden.dcm'), dicom(1))
    const out = join(tmp(), 'out')
    const cap = captureIo()
    expect(await main(['deid', empty, '--out', out], cap.io)).toBe(4)
    expect(cap.err).toMatch(/DEID_INPUT_NOT_FOUND: No files to de-identify/)
    expect(existsSync(out)).toBe(false)
  })

  test('a missing input is refused before anything is created', async () => {
    const out = join(tmp(), 'out')
    const cap = captureIo()
    expect(await main(['deid', study(), join(tmp(), 'nope'), '--out', out], cap.io)).toBe(4)
    expect(cap.err).toMatch(/DEID_INPUT_NOT_FOUND/)
    expect(existsSync(out)).toBe(false)
  })
})

describe('btt deid processes every input once', () => {
  test('every positional input is de-identified, not only the first', async () => {
    const one = study()
    const two = join(tmp(), 'second')
    mkdirSync(two)
    writeFileSync(join(two, 'z.dcm'), dicom(9))
    const out = join(tmp(), 'out')
    const cap = captureIo()
    expect(await main(['deid', one, two, '--out', out], cap.io)).toBe(0)
    const names = outputs(out)
    expect(names).toHaveLength(3)
    expect(names).toContain(join('second', 'z.dcm'))
    expect(cap.out).toMatch(/3 de-identified, 0 failed/)
    for (const n of names)
      expect(readFileSync(join(out, n)).includes(Buffer.from('Zhang'))).toBe(false)
  })

  test('a link loop, a dangling link and a FIFO fail alone; the same file through links is done once', async () => {
    const input = study(true)
    symlinkSync('.', join(input, 'self')) // self -> . : every file reachable many times
    symlinkSync(join(input, 'a.dcm'), join(input, 'again.dcm'))
    symlinkSync('loop2', join(input, 'loop1'))
    symlinkSync('loop1', join(input, 'loop2'))
    symlinkSync('missing.dcm', join(input, 'dangling.dcm'))
    execFileSync('mkfifo', [join(input, 'pipe')])
    const out = join(tmp(), 'out')
    const cap = captureIo()
    const code = await main(['deid', input, '--out', out], cap.io)
    expect(code).toBe(1) // some entries failed, the batch went on
    expect(outputs(out)).toEqual(['a.dcm', 'b.dcm', join('series', 'c.dcm')])
    expect(cap.out).toMatch(/loop1: DEID_INPUT_UNREADABLE: .*symbolic link loop/)
    expect(cap.out).toMatch(/dangling\.dcm: DEID_INPUT_UNREADABLE/)
    expect(cap.out).toMatch(/pipe: DEID_INPUT_UNREADABLE: .*not a regular file/)
    expect(cap.out).toMatch(/3 de-identified, 4 failed/)
    // written atomically: no temporary file is left behind
    expect(readdirSync(out, { recursive: true }).some((n) => String(n).endsWith('.tmp'))).toBe(
      false,
    )
  })

  test('one file that is not DICOM fails alone', async () => {
    const input = study()
    writeFileSync(join(input, 'notes.dcm'), 'not dicom')
    const out = join(tmp(), 'out')
    const cap = captureIo()
    expect(await main(['deid', input, '--out', out], cap.io)).toBe(1)
    expect(cap.out).toMatch(/notes\.dcm: DEID_UNREADABLE_FILE/)
    expect(outputs(out)).toEqual(['a.dcm', 'b.dcm'])
  })
})

test('the vault (key and pseudonyms) is never written into the folder that leaves the clinic', async () => {
  const input = study()
  const out = join(tmp(), 'shared')
  const cap = captureIo()
  expect(await main(['deid', input, '--out', out], cap.io)).toBe(0)
  expect(readdirSync(out).filter((f) => f.includes('vault'))).toEqual([])
  expect(existsSync(`${out}.vault.sqlite`)).toBe(true)
  const inside = captureIo()
  const out2 = join(tmp(), 'shared2')
  expect(
    await main(['deid', input, '--out', out2, '--vault', join(out2, 'v.sqlite')], inside.io),
  ).toBe(3)
  expect(inside.err).toMatch(/CONNECTORS_INVALID_ARGUMENT/)
  expect(existsSync(out2)).toBe(false)
})

describe('btt deid --workers', () => {
  test('a bad --workers is a usage error (exit 2) and nothing is created', async () => {
    const input = tmp()
    writeFileSync(join(input, 'a.dcm'), dicom(1))
    for (const bad of ['-1', '65', '1.5', 'two', '']) {
      const out = join(tmp(), 'out')
      const cap = captureIo()
      expect(await main(['deid', input, '--out', out, '--workers', bad], cap.io), bad).toBe(2)
      // '-1' is refused by the argument parser itself (it reads as an option)
      expect(cap.err, bad).toMatch(/--workers must be an integer from 0 to 64|'--workers'/)
      expect(existsSync(out), bad).toBe(false)
    }
  })
  test('with worker threads, every file is de-identified once, as without', async () => {
    const input = tmp()
    for (let n = 0; n < 80; n++) writeFileSync(join(input, `${n}.dcm`), dicom(n))
    const results: string[][] = []
    for (const workers of ['0', '2']) {
      const out = join(tmp(), 'out')
      const cap = captureIo()
      expect(await main(['deid', input, '--out', out, '--workers', workers], cap.io)).toBe(0)
      expect(cap.out).toContain('80 de-identified, 0 failed')
      expect(readdirSync(out)).toHaveLength(80) // no temporary file left
      results.push(readdirSync(out).sort())
    }
    expect(results[1]).toEqual(results[0])
  })
})

describe('btt deid --json', () => {
  test('prints one JSON document (folders, counts, each file written, each failure) and no lines', async () => {
    const input = study(true)
    writeFileSync(join(input, 'notes.dcm'), 'not dicom')
    const out = join(tmp(), 'out')
    const cap = captureIo()
    expect(await main(['deid', input, '--out', out, '--json'], cap.io)).toBe(1)
    expect(cap.out.trim().split('\n')).toHaveLength(1)
    expect(cap.err).toBe('')
    const doc = JSON.parse(cap.out)
    expect(doc).toMatchObject({ out, vault: `${out}.vault.sqlite`, deidentified: 3, failed: 1 })
    expect(doc.written.map((w: { target: string }) => w.target).sort()).toEqual(
      outputs(out).map((n) => join(out, n)),
    )
    expect(doc.written[0]).toEqual({
      file: expect.stringContaining(input),
      target: expect.stringContaining(out),
      pseudonym: expect.any(String),
    })
    expect(doc.failures).toEqual([
      expect.objectContaining({ file: join(input, 'notes.dcm'), code: 'DEID_UNREADABLE_FILE' }),
    ])
  })

  test('a usage mistake with --json is {"code":"CLI_USAGE",…} on stderr, nothing on stdout', async () => {
    const cap = captureIo()
    const args = ['deid', study(), '--out', join(tmp(), 'out'), '--retain', 'everything', '--json']
    expect(await main(args, cap.io)).toBe(2)
    expect(cap.out).toBe('')
    expect(JSON.parse(cap.err)).toEqual({
      code: 'CLI_USAGE',
      message: 'unknown option(s): everything',
    })
  })
})

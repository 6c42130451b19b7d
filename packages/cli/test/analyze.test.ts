import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { syntheticChest, writeDicom } from '@btt/compute/testing'
import { afterAll, describe, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-cli-analyze-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('btt analyze: each file once, impossible images refused', () => {
  test('a folder with self -> . and a link loop: each image analysed once, the loop reported, exit 1', async () => {
    const dir = tmp()
    const gen = captureIo()
    expect(await main(['demo-study', dir], gen.io)).toBe(0)
    const study = dir
    const files = readdirSync(dir).filter((n) => n.endsWith('.dcm'))
    symlinkSync('.', join(study, 'self'))
    symlinkSync('loop-b', join(study, 'loop-a'))
    symlinkSync('loop-a', join(study, 'loop-b'))
    const cap = captureIo()
    const code = await main(
      ['analyze', study, '--out', join(tmp(), 'out'), '--backend', 'cpu'],
      cap.io,
    )
    const analysed = cap.out.split('\n').filter((l) => /^\S+\.dcm(\s|:)/.test(l))
    expect(analysed.map((l) => l.slice(dir.length + 1, l.indexOf('.dcm') + 4))).toEqual(
      files.sort(),
    )
    expect(analysed.some((l) => l.includes('/self/'))).toBe(false)
    expect(cap.out).toMatch(/✖ .*loop-a: COMPUTE_UNREADABLE_INPUT: .*symbolic link loop/)
    expect(cap.out).toContain(`${analysed.length} image(s), 2 failed`)
    expect(code).toBe(1)
  })

  test('every input is analysed, not only the first; a file named twice counts once', async () => {
    const [a, b] = [tmp(), tmp()]
    const one = (seed: number) =>
      writeDicom({ frames: [syntheticChest({ seed, nodules: [] })], rows: 512, columns: 512 })
    writeFileSync(join(a, 'a.dcm'), one(1))
    writeFileSync(join(b, 'b.dcm'), one(2))
    const cap = captureIo()
    const out = join(tmp(), 'out')
    expect(
      await main(['analyze', a, b, join(a, 'a.dcm'), '--out', out, '--backend', 'cpu'], cap.io),
    ).toBe(0)
    expect(cap.out).toMatch(/a\.dcm: /)
    expect(cap.out).toMatch(/b\.dcm: /)
    expect(cap.out).toContain('2 image(s), 0 failed')
  })

  test('an --out that is, lies inside or contains an input is refused before anything is written', async () => {
    const study = tmp()
    writeFileSync(
      join(study, 'a.dcm'),
      writeDicom({ frames: [syntheticChest({ seed: 1, nodules: [] })], rows: 512, columns: 512 }),
    )
    for (const [out, how] of [
      [study, 'is'],
      [join(study, 'results'), 'lies inside'],
      [dirname(study), 'contains'],
    ] as const) {
      const cap = captureIo()
      expect(await main(['analyze', study, '--out', out, '--backend', 'cpu'], cap.io)).toBe(2)
      expect(cap.err).toContain(`${how} the input`)
    }
    expect(readdirSync(study)).toEqual(['a.dcm'])
  })

  test('Samples per Pixel 0 is refused, naming the attribute, with no probability reported', async () => {
    const dir = tmp()
    const bytes = writeDicom({
      frames: [syntheticChest({ seed: 1, nodules: [] })],
      rows: 512,
      columns: 512,
      extra: { SamplesPerPixel: 0 },
    })
    writeFileSync(join(dir, 'spp0.dcm'), bytes)
    const cap = captureIo()
    expect(
      await main(['analyze', dir, '--out', join(tmp(), 'out'), '--backend', 'cpu'], cap.io),
    ).toBe(1)
    expect(cap.out).toMatch(
      /✖ .*spp0\.dcm: COMPUTE_INVALID_PIXEL_MODULE: .*SamplesPerPixel \(0028,0002\) is 0/,
    )
    expect(cap.out).not.toMatch(/spp0\.dcm: .*%/)
    expect(cap.out).toContain('0 image(s), 1 failed')
  })
})

test('btt analyze on an empty folder exits non-zero with a coded error and writes nothing (it exited 0), also with --backend remote', async () => {
  const empty = tmp()
  const out = join(tmp(), 'out')
  for (const extra of [
    ['--backend', 'cpu'],
    ['--backend', 'remote', '--coordinator', 'http://127.0.0.1:9', '--api-key', 'k'],
  ]) {
    const cap = captureIo()
    expect(await main(['analyze', empty, '--out', out, ...extra], cap.io)).toBe(3)
    expect(cap.err).toMatch(/^error COMPUTE_INVALID_ARGUMENT: No DICOM image found in /)
  }
  expect(existsSync(out)).toBe(false)
})

test('btt analyze --backend remote refuses a coordinator URL that is not http(s)', async () => {
  const cap = captureIo()
  const args = [
    'analyze',
    tmp(),
    '--out',
    join(tmp(), 'out'),
    '--backend',
    'remote',
    '--coordinator',
    'ftp://x',
    '--api-key',
    'k',
  ]
  expect(await main(args, cap.io)).toBe(2)
  expect(cap.err).toMatch(/^error CLI_USAGE: --coordinator must be an http\(s\) URL/)
})

test('btt analyze --backend remote with an unreachable coordinator: COMPUTE_NETWORK_UNAVAILABLE, exit 7 (was COMPUTE_INFERENCE_FAILED, exit 70)', async () => {
  const study = tmp()
  expect(await main(['demo-study', study], captureIo().io)).toBe(0)
  const cap = captureIo()
  const args = [
    'analyze',
    study,
    '--out',
    join(tmp(), 'out'),
    '--backend',
    'remote',
    '--coordinator',
    'http://127.0.0.1:9',
    '--api-key',
    'k',
  ]
  expect(await main(args, cap.io)).toBe(7)
  expect(cap.err).toMatch(/^error COMPUTE_NETWORK_UNAVAILABLE: /)
})

test('btt analyze --backend remote with a key the coordinator refuses: COMPUTE_UNAUTHORIZED, exit 6 (was exit 7, unavailable)', async () => {
  const { createCoordinator } = await import('@btt/compute/network')
  const coordinator = await createCoordinator({ port: 0 })
  try {
    const study = tmp()
    expect(await main(['demo-study', study], captureIo().io)).toBe(0)
    const cap = captureIo()
    const args = [
      'analyze',
      study,
      '--out',
      join(tmp(), 'out'),
      '--backend',
      'remote',
      '--coordinator',
      coordinator.url,
      '--api-key',
      'wrong',
    ]
    expect(await main(args, cap.io)).toBe(6)
    expect(cap.err).toMatch(/^error COMPUTE_UNAUTHORIZED: .*answered 401/)
  } finally {
    await coordinator.close()
  }
})

test('btt analyze --coordinator or --api-key without --backend remote is refused (exit 2), nothing analysed nor written', async () => {
  const study = tmp()
  expect(await main(['demo-study', study], captureIo().io)).toBe(0)
  for (const extra of [
    ['--coordinator', 'http://127.0.0.1:9'],
    ['--api-key', 'k'],
    ['--backend', 'cpu', '--coordinator', 'http://127.0.0.1:9', '--api-key', 'k'],
  ]) {
    const out = join(tmp(), 'out')
    const cap = captureIo()
    expect(await main(['analyze', study, '--out', out, ...extra], cap.io), extra.join(' ')).toBe(2)
    expect(cap.err).toMatch(/^error CLI_USAGE: .*--backend remote/)
    expect(cap.out).toBe('')
    expect(existsSync(out)).toBe(false)
  }
})

test('btt analyze and demo-study with an --out that cannot be a folder: a coded error before any work, no hang, no CORE_UNKNOWN', async () => {
  const study = tmp()
  expect(await main(['demo-study', study], captureIo().io)).toBe(0)
  const file = join(study, 'with-nodule.dcm')
  // /proc/…: Node 20's recursive mkdir looped forever there
  for (const out of [file, join(file, 'below'), '/proc/btt-analyze-out']) {
    const demo = captureIo()
    expect(await main(['demo-study', out], demo.io), out).toBe(3)
    expect(demo.err).toMatch(/^error COMPUTE_INVALID_ARGUMENT: /)
  }
  const other = tmp()
  writeFileSync(join(other, 'plain'), 'x')
  for (const out of [join(other, 'plain'), '/proc/btt-analyze-out']) {
    const cap = captureIo()
    expect(await main(['analyze', study, '--out', out, '--backend', 'cpu'], cap.io), out).toBe(3)
    expect(cap.err).toMatch(/^error COMPUTE_INVALID_ARGUMENT: (--out|Cannot create the folder) /)
  }
  const none = captureIo()
  expect(await main(['demo-study'], none.io)).toBe(2)
  expect(none.err).toMatch(/^error CLI_USAGE: /)
}, 60_000)

test('btt analyze --json prints one JSON document (findings, failures, files written) and no human lines', async () => {
  const study = tmp()
  expect(await main(['demo-study', study], captureIo().io)).toBe(0)
  writeFileSync(join(study, 'broken.dcm'), 'not DICOM')
  const out = join(tmp(), 'out')
  const cap = captureIo()
  const args = ['analyze', study, '--out', out, '--backend', 'cpu', '--dicom-sr', '--json']
  expect(await main(args, cap.io)).toBe(1)
  const doc = JSON.parse(cap.out)
  expect(doc.backend.name).toBe('cpu')
  expect(doc.studies).toHaveLength(2)
  expect(doc.failures).toEqual([expect.objectContaining({ code: 'COMPUTE_UNREADABLE_DICOM' })])
  expect(doc.written.sort()).toEqual(
    readdirSync(out)
      .map((f) => join(out, f))
      .sort(),
  )
  expect(doc.written.filter((f: string) => f.endsWith('.sr.dcm'))).toHaveLength(2)
})

describe('btt demo-study --out and --json', () => {
  test('--out <dir> writes the studies as the positional folder does; two different folders are refused', async () => {
    const [byFlag, byArg] = [join(tmp(), 'flag'), join(tmp(), 'arg')]
    const flag = captureIo()
    expect(await main(['demo-study', '--out', byFlag], flag.io)).toBe(0)
    expect(await main(['demo-study', byArg], captureIo().io)).toBe(0)
    expect(readdirSync(byFlag).sort()).toEqual(['with-nodule.dcm', 'without-nodule.dcm'])
    expect(readdirSync(byArg).sort()).toEqual(readdirSync(byFlag).sort())
    expect(flag.out).toMatch(/^wrote .*with-nodule\.dcm \(synthetic, one round opacity\)\n/)
    const same = captureIo()
    expect(await main(['demo-study', byFlag, '--out', byFlag], same.io)).toBe(0)
    const two = captureIo()
    const other = join(tmp(), 'other')
    expect(await main(['demo-study', byFlag, '--out', other], two.io)).toBe(2)
    expect(two.err).toMatch(/^error CLI_USAGE: "btt demo-study" got two folders/)
    expect(existsSync(other)).toBe(false)
  })

  test('--json prints one JSON document (the files written, each study) and nothing else', async () => {
    const out = join(tmp(), 'study')
    const cap = captureIo()
    expect(await main(['demo-study', '--out', out, '--json'], cap.io)).toBe(0)
    const doc = JSON.parse(cap.out)
    expect(cap.out.trim().split('\n')).toHaveLength(1)
    expect(cap.err).toBe('')
    expect(doc.out).toBe(out)
    expect([...doc.written].sort()).toEqual(
      readdirSync(out)
        .map((f) => join(out, f))
        .sort(),
    )
    expect(doc.studies).toEqual([
      { file: join(out, 'with-nodule.dcm'), patientId: 'SYN-0001', opacities: 1 },
      { file: join(out, 'without-nodule.dcm'), patientId: 'SYN-0002', opacities: 0 },
    ])
  })
})

import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-cli-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const small = `
extends: seed-model
name: small
horizonMonths: 6
runs: 3
claims:
  - id: home-roi
    metric: monthlyRoi
    tier: home
    months: [1, 6]
    aggregate: mean
    between: [0.08, 0.14]
`

describe('btt sim', () => {
  test('check accepts a preset and a scenario that extends one', async () => {
    const cap = captureIo()
    expect(await main(['sim', 'check', 'seed-model'], cap.io)).toBe(0)
    expect(cap.out).toMatch(
      /✔ seed-model: scenario "seed-model" is valid \(1 variant × 100 runs, 96 months, 5 claims\)/,
    )
    const dir = tmp()
    writeFileSync(join(dir, 's.yaml'), small)
    const cap2 = captureIo()
    expect(await main(['sim', 'check', join(dir, 's.yaml')], cap2.io)).toBe(0)
  })

  test('check lists every problem of a bad scenario by path, and fails', async () => {
    const dir = tmp()
    writeFileSync(
      join(dir, 'bad.yaml'),
      `extends: seed-model\nname: bad\nhorizonMonths: 0\ntiers:\n  home:\n    churnPerMonth: 2\n    initialNodes: -1\nflavour: mint\n`,
    )
    const cap = captureIo()
    expect(await main(['sim', 'check', join(dir, 'bad.yaml')], cap.io)).toBe(3) // invalid input
    expect(cap.err).toMatch(/^error SIM_INVALID_SCENARIO: Invalid scenario /)
    for (const path of [
      'horizonMonths',
      'tiers.home.churnPerMonth',
      'tiers.home.initialNodes',
      '(root)',
    ])
      expect(cap.err).toContain(`→ at ${path}`)
    const cap2 = captureIo()
    expect(await main(['sim', 'check', join(dir, 'missing.yaml')], cap2.io)).toBe(9) // local I/O
    expect(cap2.err).toMatch(/^error SIM_UNREADABLE_SCENARIO: Cannot read scenario .*ENOENT/)
  })

  test('run writes the files and prints plain progress lines when not on a TTY', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 's.yaml'), small)
    const out = join(dir, 'out')
    const cap = captureIo(false)
    expect(
      await main(['sim', 'run', join(dir, 's.yaml'), '--out', out, '--workers', '0'], cap.io),
    ).toBe(0)
    expect(cap.out).toMatch(/^runs 1\/3 · ETA \d+s$/m)
    expect(cap.out).toMatch(/^runs 3\/3 · \d+\.\ds$/m)
    expect(cap.out).not.toContain('\r')
    expect(cap.out).toMatch(/✖ home-roi: holds in \d+% of 3 runs/)
    for (const f of ['epochs.csv', 'months.csv', 'summary.json', 'report.html'])
      expect(existsSync(join(out, f))).toBe(true)
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).runsPerVariant).toBe(3)
  })

  test('run draws a progress bar on a TTY', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 's.yaml'), small)
    const cap = captureIo(true)
    expect(
      await main(
        [
          'sim',
          'run',
          join(dir, 's.yaml'),
          '--out',
          join(dir, 'o'),
          '--workers',
          '0',
          '--runs',
          '2',
        ],
        cap.io,
      ),
    ).toBe(0)
    expect(cap.out).toContain('\r[###############---------------] 1/2 runs')
  })

  test('usage errors', async () => {
    const cap = captureIo()
    expect(await main(['sim', 'run', 'seed-model'], cap.io)).toBe(2)
    expect(cap.err).toContain('--out <dir> is required')
    expect(await main(['frobnicate'], cap.io)).toBe(2)
  })

  test('the btt entry point runs as a program', () => {
    const root = join(import.meta.dirname, '../../..')
    const stdout = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@btt/source',
        'packages/cli/src/bin.ts',
        'sim',
        'check',
        'monthly-decay',
      ],
      { cwd: root, encoding: 'utf8' },
    )
    expect(stdout).toContain('✔ monthly-decay')
  })
})

/** Runs `btt sim run` on a small scenario in a fresh folder; what it printed and returned. */
async function simRun(args: string[], scenario = small) {
  const dir = tmp()
  writeFileSync(join(dir, 's.yaml'), scenario)
  const cap = captureIo()
  const code = await main(['sim', 'run', join(dir, 's.yaml'), '--workers', '0', ...args], cap.io)
  return { dir, code, out: cap.out, err: cap.err }
}

const noStack = /\n\s+at /

describe('btt sim run refuses bad flags and outputs before any run (issue 11 §7)', () => {
  test.each([
    ['1e12', /Too big/],
    ['1000000000000', /Too big/],
    ['1000001', /Too big/], // beyond the scenario's own bound on runs
    ['0', /Too small/], // zero runs would print verdicts over nothing
    ['-1', /Too small/],
    ['2.5', /expected int/],
    ['abc', /number/],
    ['', /number/],
  ])('--runs=%s exits 3 with the reason, creates nothing', async (runs, reason) => {
    const dir = tmp()
    const out = join(dir, 'out')
    const cap = captureIo()
    const code = await main(['sim', 'run', 'monthly-decay', '--out', out, `--runs=${runs}`], cap.io)
    expect(code).toBe(3)
    expect(cap.err).toMatch(/^error SIM_INVALID_ARGUMENT: --runs /)
    expect(cap.err).toMatch(reason)
    expect(cap.err).not.toMatch(noStack)
    expect(cap.out).toBe('') // no progress, no verdicts
    expect(existsSync(out)).toBe(false)
  })

  test('--seed and --workers are checked the same way', async () => {
    for (const [flag, value] of [
      ['--seed', '4294967296'],
      ['--seed', '-5'],
      ['--workers', '1.5'],
      ['--workers', '100000'],
    ] as const) {
      const cap = captureIo()
      const out = join(tmp(), 'out')
      expect(
        await main(['sim', 'run', 'monthly-decay', '--out', out, `${flag}=${value}`], cap.io),
      ).toBe(3)
      expect(cap.err).toContain(`error SIM_INVALID_ARGUMENT: ${flag} `)
      expect(existsSync(out)).toBe(false)
    }
  })

  test('--out that is a file, or lies under one, exits 9 and leaves the file as it was', async () => {
    const dir = tmp()
    const file = join(dir, 'notes.txt')
    writeFileSync(file, 'keep me')
    for (const out of [file, join(file, 'sub')]) {
      const cap = captureIo()
      expect(await main(['sim', 'run', 'monthly-decay', '--out', out, '--runs', '1'], cap.io)).toBe(
        9,
      )
      expect(cap.err).toMatch(/^error SIM_OUTPUT_NOT_WRITABLE: Cannot write to /)
      expect(cap.err).not.toMatch(noStack)
      expect(cap.out).toBe('')
    }
    expect(readFileSync(file, 'utf8')).toBe('keep me')
  })

  test('an --out that cannot be created exits 9 with the reason, not a crash', async () => {
    const cap = captureIo()
    const code = await main(
      [
        'sim',
        'run',
        'monthly-decay',
        '--out',
        '/proc/btt-sim-out',
        '--runs',
        '1',
        '--workers',
        '0',
      ],
      cap.io,
    )
    expect(code).toBe(9)
    expect(cap.err).toMatch(/^error SIM_OUTPUT_NOT_WRITABLE: Cannot write to \/proc\/btt-sim-out/)
    expect(cap.err).not.toMatch(noStack)
    expect(cap.out).not.toMatch(/holds in/)
  })

  test('an --out that would overwrite the scenario is refused (exit 3), the scenario untouched', async () => {
    const dir = tmp()
    const scenario = JSON.stringify({
      extends: 'seed-model',
      name: 'json',
      horizonMonths: 4, // seed-model's behaviour needs 3 months of history
      runs: 1,
      claims: [],
    })
    writeFileSync(join(dir, 'summary.json'), scenario) // JSON is YAML: a scenario named like an output
    for (const args of [
      [join(dir, 'summary.json'), '--out', dir],
      [join(dir, 'summary.json'), '--out', join(dir, 'summary.json')],
    ]) {
      const cap = captureIo()
      expect(await main(['sim', 'run', ...args, '--workers', '0'], cap.io)).toBe(3)
      expect(cap.err).toMatch(/^error SIM_OUTPUT_OVERWRITES_INPUT: /)
      expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe(scenario)
    }
    expect(readdirSync(dir)).toEqual(['summary.json'])
  })

  test('--json: check and run print one JSON document and no progress lines', async () => {
    const check = captureIo()
    expect(await main(['sim', 'check', 'seed-model', '--json'], check.io)).toBe(0)
    expect(JSON.parse(check.out)).toMatchObject({ valid: true, scenario: 'seed-model', runs: 100 })
    const dir = tmp()
    writeFileSync(join(dir, 's.yaml'), small)
    const run = captureIo()
    const args = [
      'sim',
      'run',
      join(dir, 's.yaml'),
      '--out',
      join(dir, 'o'),
      '--workers',
      '0',
      '--json',
    ]
    expect(await main(args, run.io)).toBe(0)
    const result = JSON.parse(run.out)
    expect(result.runsPerVariant).toBe(3)
    expect(result.variants[0].claims[0]).toMatchObject({ id: 'home-roi', runs: 3 })
  })

  test('check takes no run options', async () => {
    const cap = captureIo()
    expect(await main(['sim', 'check', 'seed-model', '--runs', '5'], cap.io)).toBe(2)
    expect(cap.err).toContain('btt sim check takes no options (got --runs)')
  })

  test('a second scenario is refused, not ignored', async () => {
    const cap = captureIo()
    expect(await main(['sim', 'run', 'seed-model', 'filecoin', '--out', tmp()], cap.io)).toBe(2)
    expect(cap.err).toContain('takes one scenario, got 2')
  })

  test('outputs appear under their final names only, with no temporary files left', async () => {
    const out = join(tmp(), 'out')
    const { code } = await simRun(['--out', out, '--runs', '1'])
    expect(code).toBe(0)
    expect(readdirSync(out).sort()).toEqual([
      'epochs.csv',
      'months.csv',
      'report.html',
      'summary.json',
    ])
  })

  test('a variant whose runs all failed prints no verdict, and exits 1', async () => {
    const burnsEverything = `${small}burns: { tokenizationTxPerMonth: 30, txValueTokens: 100000000 }
engine: { burns: { thresholdValue: '0', rateBps: 10000 } }
`
    const { code, out } = await simRun(['--out', join(tmp(), 'o')], burnsEverything)
    expect(code).toBe(1)
    expect(out).toContain('? home-roi: no verdict, no run of this variant finished')
    expect(out).not.toMatch(/holds in/)
    expect(out).toMatch(/✖ run 0 \(variant 0, seed \d+\) failed: .*above the supply/)
  })
})

describe('btt analyze', () => {
  test('runs on a generated study from scratch: finds the opacity, writes a JSON result per study', async () => {
    const dir = tmp()
    const study = join(dir, 'study')
    const out = join(dir, 'results')
    const gen = captureIo()
    expect(await main(['demo-study', study], gen.io)).toBe(0)
    const cap = captureIo()
    expect(
      await main(
        ['analyze', study, '--out', out, '--backend', 'auto', '--dicom-sr', '--dicom-seg'],
        cap.io,
      ),
    ).toBe(0)
    expect(cap.out).toMatch(
      /^model btt\.nodule-demo 1\.0\.0 \(sha256 [0-9a-f]{12}…\) on cpu: auto: fell back to cpu/m,
    )
    expect(cap.out).toMatch(
      /with-nodule\.dcm: ✔ nodule \d+\.\d% at x=\d+ y=\d+ \d+×\d+, outline \d+ px/,
    )
    expect(cap.out).toMatch(/without-nodule\.dcm: · nodule \d+\.\d%/)
    const written = readdirSync(out)
    expect(written.filter((f) => f.endsWith('.sr.dcm'))).toHaveLength(2) // a DICOM SR per study
    expect(written.filter((f) => f.endsWith('.seg.dcm'))).toHaveLength(1) // a SEG where it outlined
    expect(cap.out).toMatch(/no SEG for [0-9.]+: btt\.nodule-demo outlines nothing here/)
    const results = written
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')))
    expect(results).toHaveLength(2)
    const positive = results.find((r) => r.images[0].file.endsWith('with-nodule.dcm'))
    expect(positive.images[0].findings[0]).toMatchObject({ label: 'nodule', present: true })
    // the JSON summarises the mask; its pixels are in the SEG
    const mask = positive.images[0].findings[0].mask
    expect(Object.keys(mask).sort()).toEqual(['area', 'columns', 'rows'])
    expect(mask.area).toBeGreaterThan(0)
    // --fractional: the SEG carries probabilities instead of bits
    const fractional = captureIo()
    const out2 = join(dir, 'fractional')
    expect(
      await main(
        ['analyze', join(study, 'with-nodule.dcm'), '--out', out2, '--dicom-seg', '--fractional'],
        fractional.io,
      ),
    ).toBe(0)
    expect(fractional.out).toMatch(/wrote .*\.seg\.dcm \(DICOM SEG, FRACTIONAL\)/)
    const seg = readdirSync(out2).find((f) => f.endsWith('.seg.dcm'))!
    expect(readFileSync(join(out2, seg)).includes(Buffer.from('PROBABILITY'))).toBe(true)
    expect(positive.model.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  test('a folder with a bad file: reports it, analyses the rest, exits 1', async () => {
    const dir = tmp()
    const gen = captureIo()
    await main(['demo-study', dir], gen.io)
    writeFileSync(join(dir, 'broken.dcm'), 'not dicom')
    const cap = captureIo()
    expect(
      await main(['analyze', dir, '--out', join(tmp(), 'out'), '--backend', 'cpu'], cap.io),
    ).toBe(1)
    expect(cap.out).toMatch(
      /✖ .*broken\.dcm: COMPUTE_UNREADABLE_DICOM: .*not a readable DICOM file/,
    )
    expect(cap.out).toContain('2 image(s), 1 failed')
  })

  test('usage errors', async () => {
    const cap = captureIo()
    expect(await main(['analyze', 'x.dcm'], cap.io)).toBe(2)
    expect(await main(['analyze', 'x.dcm', '--out', tmp(), '--backend', 'tpu'], cap.io)).toBe(2)
    expect(cap.err).toContain('--backend must be one of auto, cpu, cuda, webgpu, remote')
  })
})

test('an unknown flag is a usage error, not a crash', async () => {
  const cap = captureIo()
  expect(await main(['analyze', 'x.dcm', '--out', 'o', '--frobnicate'], cap.io)).toBe(2)
  expect(cap.err).toMatch(/Unknown option '--frobnicate'/)
  expect(cap.err).not.toMatch(/at main/)
})

test('btt sim check on a device is refused (it read /dev/zero forever)', async () => {
  for (const file of ['/dev/zero', '/dev/null']) {
    const cap = captureIo()
    expect(await main(['sim', 'check', file], cap.io), file).toBe(9)
    expect(cap.err).toMatch(/^error SIM_UNREADABLE_SCENARIO: .*not a regular file/)
  }
}, 10_000)

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { runSeedModel } from './seedModel.js'

const dir = mkdtempSync(join(tmpdir(), 'btt-example-sim-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('the quick case runs the seed model’s claims over its first year and writes the report', async () => {
  const out = join(dir, 'quick')
  const { summary, report, lines } = await runSeedModel({ out })
  expect(report).toBe(join(out, 'report.html'))
  // what was run: 2 runs of 12 months, every claim of the preset judged on both runs
  expect(summary.runsPerVariant).toBe(2)
  expect(summary.failedRuns).toEqual([])
  const claims = summary.variants[0]!.claims
  expect(claims.map((c) => c.id)).toEqual([
    'home-roi',
    'mid-roi',
    'institution-roi',
    'volume-100m',
    'contributors-70',
  ])
  expect(claims.every((c) => c.runs === 2)).toBe(true)
  // the 70% share is exact in every month of every run
  expect(claims.find((c) => c.id === 'contributors-70')?.probability).toBe(1)
  // the files: 12 months per run in months.csv, the summary, and a report naming the claims
  const months = readFileSync(join(out, 'months.csv'), 'utf8').trim().split('\n')
  expect(months.length).toBe(1 + 2 * 12)
  const written = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  expect(written.scenario).toBe('seed-model')
  const html = readFileSync(report, 'utf8')
  expect(html).toContain('<svg')
  for (const c of claims) expect(html).toContain(c.id)
  const text = lines.join('\n')
  expect(text).toMatch(
    /seed-model: 2 runs × 12 months \(the quick case; --full runs the preset's 100 runs × 96 months\)/,
  )
  expect(text).toMatch(/✔ contributors-70: holds in 100% of 2 runs/)
  expect(text).toMatch(/home: median monthly ROI in year 1 -?\d+\.\d\d%/)
})

test('an output folder that is a file is refused before any run', async () => {
  const file = join(dir, 'a-file')
  writeFileSync(file, 'not a folder')
  await expect(runSeedModel({ out: file, runs: 1 })).rejects.toMatchObject({
    code: expect.stringMatching(/^SIM_/),
  })
  expect(existsSync(join(file, 'report.html'))).toBe(false)
})

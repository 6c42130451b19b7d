import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { handScenario } from '../../test/fixtures.js'
import { parseScenario } from '../scenario/parseScenario.js'
import { drive } from './drive.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-drive-'))
  dirs.push(d)
  return d
}
const plan = (
  out: string | undefined,
  scenario: Record<string, unknown> = { ...handScenario, runs: 2 },
) => ({
  raw: scenario,
  parsed: parseScenario(scenario),
  source: 's',
  runs: 2,
  seed: 1,
  workers: 0,
  out,
  emit: true,
})

describe('drive', () => {
  test('yields every epoch of every run and returns the summary; files get their names at the end', async () => {
    const out = tmp()
    const it = drive(plan(out))
    let records = 0
    for (;;) {
      const next = await it.next()
      if (next.done) {
        expect(next.value.variants[0]!.runs).toBe(2)
        break
      }
      records++
      if (records === 400)
        // mid-way: only temporary files so far
        expect(readdirSync(out).every((f) => f.startsWith('.') && f.endsWith('.tmp'))).toBe(true)
    }
    expect(records).toBe(2 * 366)
    expect(readdirSync(out).sort()).toEqual([
      'epochs.csv',
      'months.csv',
      'report.html',
      'summary.json',
    ])
  })

  test('a consumer that stops early leaves the folder as it was: old files kept, no temporary files', async () => {
    const out = tmp()
    writeFileSync(join(out, 'epochs.csv'), 'previous run')
    for await (const record of drive(plan(out))) if (record.epoch === 10) break
    expect(readdirSync(out)).toEqual(['epochs.csv'])
    expect(readFileSync(join(out, 'epochs.csv'), 'utf8')).toBe('previous run')
  })

  test('runs that fail are counted and reported; the others are summarised', async () => {
    const scenario = {
      ...handScenario,
      burns: { tokenizationTxPerMonth: 30, txValueTokens: { uniform: [0, 200_000] } },
      engine: { burns: { thresholdValue: '0', rateBps: 10_000 } },
    }
    const it = drive({ ...plan(undefined, scenario), runs: 8, emit: false })
    let next = await it.next()
    while (!next.done) next = await it.next()
    const summary = next.value
    expect(summary.failedRuns.length).toBeGreaterThan(0)
    expect(summary.failedRuns.length).toBeLessThan(8)
    expect(summary.variants[0]!.runs + summary.variants[0]!.failed).toBe(8)
  })
})

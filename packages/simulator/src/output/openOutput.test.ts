import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { handScenario } from '../../test/fixtures.js'
import { prepareVariant } from '../engine/prepareVariant.js'
import { runOnce } from '../engine/runOnce.js'
import { parseScenario } from '../scenario/parseScenario.js'
import { openOutput } from './openOutput.js'

const root = mkdtempSync(join(tmpdir(), 'btt-output-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const run = runOnce(prepareVariant(parseScenario(handScenario).variants[0]!), 0, 1)

describe('openOutput', () => {
  test('creates the folder; the four files appear only when finished', async () => {
    const dir = join(root, 'a', 'b')
    const output = openOutput(dir, ['solo'])
    await output.writeRun(run)
    expect(readdirSync(dir).every((f) => f.endsWith('.tmp'))).toBe(true)
    await output.finish({ ok: true }, '<html>')
    expect(readdirSync(dir).sort()).toEqual([
      'epochs.csv',
      'months.csv',
      'report.html',
      'summary.json',
    ])
    expect(readFileSync(join(dir, 'epochs.csv'), 'utf8').split('\n')).toHaveLength(1 + 366 + 1)
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toEqual({ ok: true })
  })

  test('zero finished runs still give headed CSVs; discard leaves nothing', async () => {
    const dir = join(root, 'empty')
    const output = openOutput(dir, ['solo'])
    await output.finish({}, '')
    expect(readFileSync(join(dir, 'months.csv'), 'utf8')).toMatch(/^variant,run,seed,month,/)
    const other = join(root, 'discarded')
    const discarded = openOutput(other, ['solo'])
    await discarded.writeRun(run)
    discarded.discard()
    expect(readdirSync(other)).toEqual([])
  })

  test('a folder that cannot be made is SIM_OUTPUT_NOT_WRITABLE', () => {
    expect(() => openOutput('/proc/btt-no-such-folder', [])).toThrow(
      expect.objectContaining({ code: 'SIM_OUTPUT_NOT_WRITABLE' }),
    )
  })
})

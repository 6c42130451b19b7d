import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { ehrPluginWalkthrough } from './ehrPlugin.js'

const dir = mkdtempSync(join(tmpdir(), 'btt-example-ehr-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('the EHR plugin walkthrough: one report though sent twice, the findings card, points once per event, a redemption with its fee', async () => {
  const lines = (await ehrPluginWalkthrough(dir)).join('\n')
  expect(lines).toMatch(/sent twice, 1 report\(s\) on the server/)
  expect(lines).toMatch(/patient-view card: AI findings: /)
  expect(lines).toContain('3 events awarded, 1 duplicates ignored: 220 points')
  expect(lines).toContain('redeemed 100 points at the pharmacy: 95 to the partner, 5 fee; 120 left')
  expect(readdirSync(dir).sort()).toEqual(
    expect.arrayContaining(['chest.dcm', 'result.fhir.json', 'points.sqlite', 'intake.sqlite']),
  )
})

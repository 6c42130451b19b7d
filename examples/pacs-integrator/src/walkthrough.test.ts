import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { offlineWalkthrough } from './walkthrough.js'

const dir = mkdtempSync(join(tmpdir(), 'btt-example-pacs-offline-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('without a PACS, the walkthrough finds the opacity, writes SR, SEG and overlay, and the remote path leaks nothing', async () => {
  const lines = (await offlineWalkthrough(dir)).join('\n')
  expect(lines).toMatch(/\.1\.1: nodule \d+\.\d% present, box \d+×\d+ px, outline \d+ px/)
  expect(lines).toMatch(/\.1\.2: nodule \d+\.\d% absent/)
  expect(lines).toContain('1 SEG and 1 overlay')
  expect(lines).toContain('in what leaves: none')
  expect(lines).toMatch(/refers to [0-9.]+\.1\.1 again: true; patient MRN-20931: true/)
  expect(readdirSync(join(dir, 'offline', 'results')).sort()).toEqual([
    'outline-1.seg.dcm',
    'overlay.sc.dcm',
    'remote-report.sr.dcm',
    'report.sr.dcm',
  ])
})

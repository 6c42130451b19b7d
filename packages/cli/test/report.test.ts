import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tool } from '@btt/testing'
import { chromium } from 'playwright-core'
import { afterAll, expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

// CI installs Debian's chromium (.ci/run); there a missing browser is a failure, not a skip.
const chromiumPath = tool('chromium', 'chromium') ?? ''

const dir = mkdtempSync(join(tmpdir(), 'btt-report-'))
const inputs = mkdtempSync(join(tmpdir(), 'btt-report-in-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(inputs, { recursive: true, force: true })
})

// seed-model's heterogeneous nodes over two years (the full 8 years take minutes per run)
const scenario = join(inputs, 'seed-model-2y.yaml')
writeFileSync(
  scenario,
  `extends: seed-model
horizonMonths: 24
claims:
  - { id: home-roi, metric: monthlyRoi, tier: home, months: [1, 12], aggregate: mean, between: [0.08, 0.14] }
  - { id: mid-roi, metric: monthlyRoi, tier: mid, months: [1, 12], aggregate: mean, between: [0.12, 0.18] }
  - { id: institution-roi, metric: monthlyRoi, tier: institution, months: [1, 12], aggregate: mean, between: [0.15, 0.22] }
  - { id: volume-100m, metric: monthlyVolume, months: [12, 12], atLeast: 100000000 }
  - { id: contributors-70, metric: contributorRevenueShare, months: [1, 24], between: [0.6999, 0.7001] }
`,
)

test.skipIf(!chromiumPath)(
  'btt sim run on seed-model (two years) writes a report.html that renders in headless Chromium without errors',
  async () => {
    const cap = captureIo()
    expect(await main(['sim', 'run', scenario, '--out', dir, '--runs', '4'], cap.io)).toBe(0)
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    })
    try {
      const page = await browser.newPage()
      const problems: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning')
          problems.push(`${m.type()}: ${m.text()}`)
      })
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`))
      const requests: string[] = []
      page.on('request', (r) => requests.push(r.url()))
      await page.goto(`file://${join(dir, 'report.html')}`, { waitUntil: 'load' })
      expect(problems).toEqual([])
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]) // self-contained, offline
      expect(await page.title()).toBe('BTT simulation: seed-model')
      expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(10)
      const claims = await page.locator('table').first().locator('tr').count()
      expect(claims).toBe(6) // header + 5 claims
      // charts have real extent: the first fan chart's band path is drawn
      const box = await page.locator('svg').first().boundingBox()
      expect(box?.width).toBeGreaterThan(300)
      expect(await page.locator('svg path').count()).toBeGreaterThan(20)
      // the per-node section: its table (3 tiers + all) and its charts, drawn
      await expect(page.getByText('Per node: who wins and who loses').isVisible()).resolves.toBe(
        true,
      )
      const nodeTable = page.locator('table', { hasText: 'left for losses' })
      expect(await nodeTable.locator('tr').count()).toBe(5)
      for (const title of ['Gini coefficient of monthly rewards', 'all: per-node monthly ROI'])
        expect(
          await page.locator('svg', { hasText: title }).locator('path').count(),
        ).toBeGreaterThan(2)
    } finally {
      await browser.close()
    }
  },
  120_000,
)

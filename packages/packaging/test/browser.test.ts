import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { tool } from '@btt/testing'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { coreWorkload } from './coreWorkload.js'
import { ensureBuilt } from './ensureBuilt.js'

// @btt/core's built ESM, bundled by esbuild for the browser platform (a Node built-in anywhere in
// its graph fails the build), run in Debian's headless Chromium; the numbers it computes there
// must equal those computed in Node. CI installs chromium (.ci/run): a missing one fails there.
const chromiumPath = tool('chromium', 'chromium') ?? ''
const here = dirname(fileURLToPath(import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'btt-browser-'))

beforeAll(async () => {
  await ensureBuilt()
}, 900_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

test.skipIf(!chromiumPath)(
  '@btt/core bundled for the browser computes in headless Chromium what it computes in Node',
  async () => {
    const bundle = await build({
      stdin: {
        contents: `import { coreWorkload } from './coreWorkload.ts'
try {
  document.getElementById('out').textContent = coreWorkload()
} catch (error) {
  document.getElementById('error').textContent = String(error && error.stack || error)
}`,
        resolveDir: here,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
    })
    // @btt/core came from its dist/ (the browser, import and default conditions), not its sources
    const inputs = Object.keys(bundle.metafile.inputs)
    expect(inputs.some((p) => /core\/dist\/index\.js$/.test(p))).toBe(true)
    expect(inputs.filter((p) => /core\/src\//.test(p))).toEqual([])
    const script = bundle.outputFiles[0]!.text.replaceAll('</script', '<\\/script')
    const page = join(dir, 'index.html')
    writeFileSync(
      page,
      `<!doctype html><meta charset="utf-8"><pre id="out"></pre><pre id="error"></pre><script>${script}</script>`,
    )

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
      const tab = await browser.newPage()
      const problems: string[] = []
      tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
      tab.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`)
      })
      await tab.goto(pathToFileURL(page).href)
      const error = await tab.textContent('#error')
      const inBrowser = await tab.textContent('#out')
      expect({ problems, error }).toEqual({ problems: [], error: '' })
      expect(inBrowser).toBe(coreWorkload())
      // and the numbers are the ones expected: 70/15/10/5 of the amount, summing to it
      const result = JSON.parse(inBrowser!) as {
        split: Record<string, string>
        refused: { bttError: boolean; code: string }
      }
      expect(result.split).toEqual({
        contributors: '700000005n',
        devFund: '150000001n',
        foundation: '100000001n',
        reserve: '50000000n',
      })
      // a refused argument is a BttError with a code in the browser too
      expect(result.refused.bttError).toBe(true)
      expect(result.refused.code).toMatch(/^CORE_[A-Z_]+$/)
    } finally {
      await browser.close()
    }
  },
)

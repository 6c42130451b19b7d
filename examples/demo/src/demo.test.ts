/// <reference types="@btt/compute/dicom-types" />
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { openSqliteLedger } from '@btt/payfi'
import { dciodvfy, tool, validateFhir } from '@btt/testing'
import dcmjs from 'dcmjs'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { findAnvil } from './anvil.js'
import { runDemo } from './demo.js'
import { ledgerBalance } from './money.js'
import { MARKER, OutputRefused } from './output.js'
import { PATIENT, STUDY } from './study.js'

const chromiumPath = tool('chromium', 'chromium') ?? ''
const dcmdump = tool('dcmdump', 'dcmtk')
const hasDciodvfy = tool('dciodvfy', 'dicom3tools')

const tmp = mkdtempSync(join(tmpdir(), 'btt-demo-test-'))
const out = join(tmp, 'out')
let printed = ''
type Account = {
  steps: { n: number; title: string; status: string; files: string[] }[]
  payment: { gross: string; fee: string; net: string }
  revenue: Record<string, string>
  emission: string
  payout: { nodes: { address: string; revenueShare: string; emission: string }[] }
  settlement: {
    chain: string
    differences: number
    batches: { status: string }[]
    onChain: { address: string; cny: string; btt: string }[]
  }
  points: { points: number; balance: string }
}
let account: Account

beforeAll(async () => {
  await runDemo({ out, write: (t) => (printed += t), tty: false })
  account = JSON.parse(readFileSync(join(out, MARKER), 'utf8'))
}, 120_000)
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const read = (rel: string) => new Uint8Array(readFileSync(join(out, rel)))
const dataset = (rel: string) => {
  const bytes = read(rel)
  const dict = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  )
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict) as Record<string, unknown>
}

describe('pnpm demo', () => {
  test('prints all nine steps, plain lines (no terminal control codes), and lists files that exist', () => {
    expect(account.steps.map((s) => s.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    for (const s of account.steps) {
      expect(printed).toContain(`${s.n}. ${s.title}`)
      for (const f of s.files) expect(existsSync(join(out, f)), f).toBe(true)
    }
    expect(printed.includes('\r') || printed.includes('\u001b[')).toBe(false)
    // anvil is installed with the workspace (@foundry-rs/anvil), so the default run settles there
    expect(printed).toContain(findAnvil() ? 'settled on the local anvil chain' : '[SIMULATED]')
    expect(printed).toContain('reconciliation, ledger against chain: they agree')
  })

  test('what left the clinic carries no identifier; the results reference the original study again', () => {
    for (const f of ['deidentified/image-1.dcm', 'deidentified/image-2.dcm']) {
      const text = Buffer.from(read(f)).toString('latin1')
      for (const id of [PATIENT.id, 'Wang', STUDY]) expect(text).not.toContain(id)
    }
    const sr = dataset('results/report.sr.dcm')
    expect(sr.Modality).toBe('SR')
    expect(sr.StudyInstanceUID).toBe(STUDY)
    expect(sr.PatientID).toBe(PATIENT.id)
    const seg = dataset('results/outline-1.seg.dcm')
    expect(seg.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.66.4')
    expect(seg.StudyInstanceUID).toBe(STUDY)
    expect(dataset('results/overlay.sc.dcm').StudyInstanceUID).toBe(STUDY)
  })

  test.skipIf(!dcmdump)('dcmtk reads the SR and the SEG', () => {
    for (const f of ['results/report.sr.dcm', 'results/outline-1.seg.dcm']) {
      const dump = execFileSync(dcmdump!, ['-q', join(out, f)], { encoding: 'utf8' })
      expect(dump).toContain(STUDY)
    }
  })

  test.skipIf(!hasDciodvfy)('dciodvfy finds no error in the SR and the SEG', () => {
    for (const f of ['results/report.sr.dcm', 'results/outline-1.seg.dcm'])
      expect(dciodvfy(read(f)).errors, f).toEqual([])
  })

  test('the FHIR Bundle is valid R4 and names the patient by MRN and the original study', () => {
    const bundle = JSON.parse(readFileSync(join(out, 'results/results.bundle.json'), 'utf8'))
    expect(bundle.resourceType).toBe('Bundle')
    expect(validateFhir(bundle)).toEqual([])
    const types = bundle.entry.map(
      (e: { resource: { resourceType: string } }) => e.resource.resourceType,
    )
    expect(types).toContain('DiagnosticReport')
    expect(JSON.stringify(bundle)).toContain(PATIENT.id)
    expect(JSON.stringify(bundle)).toContain(STUDY)
  })

  test('the ledger balances, fee + net = gross, and the payouts are 70% of revenue plus the emission', async () => {
    const p = account.payment
    expect(BigInt(p.fee) + BigInt(p.net)).toBe(BigInt(p.gross))
    const r = account.revenue
    expect(BigInt(r.total!)).toBe(BigInt(p.gross))
    expect(BigInt(r.contributors!) * 10n).toBe(BigInt(r.total!) * 7n)
    const parts = ['contributors', 'devFund', 'foundation', 'reserve'].map((k) => BigInt(r[k]!))
    expect(parts.reduce((a, b) => a + b)).toBe(BigInt(r.total!))
    const nodes = account.payout.nodes
    expect(nodes.length).toBeGreaterThanOrEqual(1)
    expect(nodes.reduce((t, n) => t + BigInt(n.revenueShare), 0n)).toBe(BigInt(r.contributors!))
    expect(nodes.reduce((t, n) => t + BigInt(n.emission), 0n)).toBe(BigInt(account.emission))
    expect(BigInt(account.emission)).toBeGreaterThan(0n)
    expect(account.settlement.chain).toContain(findAnvil() ? 'anvil' : 'SIMULATED')
    expect(account.settlement.batches.every((b) => b.status === 'posted')).toBe(true)
    expect(account.settlement.differences).toBe(0)
    for (const n of nodes) {
      const held = account.settlement.onChain.find((c) => c.address === n.address)!
      expect(BigInt(held.cny)).toBe(BigInt(n.revenueShare) * 10n ** 4n) // fen → 6-decimal token
      expect(BigInt(held.btt)).toBe(BigInt(n.emission))
    }
    const ledger = openSqliteLedger(join(out, 'ledger', 'payfi.sqlite'))
    try {
      const balance = await ledgerBalance(ledger)
      expect(Object.keys(balance.totals).sort()).toEqual(['BTT', 'CNY', 'POINTS'])
      for (const t of Object.values(balance.totals)) expect(t.debits).toBe(t.credits)
      for (const n of nodes) {
        const a = await ledger.getAccount(`node:${n.address}:CNY`)
        expect(a!.creditsPosted).toBe(BigInt(n.revenueShare)) // credited, then paid out on chain
        expect(a!.creditsPosted - a!.debitsPosted).toBe(0n)
      }
      const points = balance.accounts.find(
        (a) => a.currency === 'POINTS' && a.id.startsWith('patient:'),
      )
      expect(points!.creditsPosted).toBe(BigInt(account.points.points))
      expect(account.points.points).toBeGreaterThan(0)
    } finally {
      await ledger.close()
    }
  })

  test('a previous demo output is replaced (this run on the SIMULATED chain); a folder with other files is refused and left as it was', async () => {
    const mine = join(tmp, 'mine')
    mkdirSync(mine)
    writeFileSync(join(mine, 'notes.txt'), 'mine')
    await expect(runDemo({ out: mine, write: () => undefined })).rejects.toBeInstanceOf(
      OutputRefused,
    )
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('mine')
    const again = join(tmp, 'again')
    await runDemo({ out: again, write: () => undefined })
    const first = readFileSync(join(again, MARKER), 'utf8')
    let lines = ''
    await runDemo({ out: again, write: (t) => (lines += t), chain: 'simulated' })
    expect(lines).toContain('[SIMULATED]')
    expect(lines).toContain('reconciliation, ledger against chain: they agree')
    const second = JSON.parse(readFileSync(join(again, MARKER), 'utf8')) as Account
    expect(second).not.toEqual(JSON.parse(first))
    expect(second.settlement.chain).toContain('SIMULATED')
    expect(second.settlement.differences).toBe(0)
    expect(existsSync(join(again, 'summary.html'))).toBe(true)
  }, 120_000)

  test.skipIf(!chromiumPath)(
    'the HTML summary renders in headless Chromium: every step, the overlay image, the money flow; no console error, no request',
    async () => {
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
        const requests: string[] = []
        const url = pathToFileURL(join(out, 'summary.html')).href
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning')
            problems.push(`${m.type()}: ${m.text()}`)
        })
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
        page.on('request', (r) => {
          if (r.url() !== url && !r.url().startsWith('data:')) requests.push(r.url())
        })
        await page.goto(url, { waitUntil: 'load' })
        expect(await page.locator('section.step').count()).toBe(9)
        expect(await page.locator('svg[aria-label="overlay"] image').count()).toBe(1)
        expect(await page.locator('#finding').count()).toBe(1)
        expect(await page.locator('#money tbody tr').count()).toBeGreaterThanOrEqual(7)
        expect(await page.locator('svg[aria-label="money flow"] rect').count()).toBeGreaterThan(0)
        expect(
          await page.locator('.badge', { hasText: findAnvil() ? 'DONE' : 'SIMULATED' }).count(),
        ).toBe(9)
        expect(problems).toEqual([])
        expect(requests).toEqual([])
      } finally {
        await browser.close()
      }
    },
  )
})

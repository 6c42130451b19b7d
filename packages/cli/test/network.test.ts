import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

/** Starts a long-running command and waits for the line matching `ready`. */
async function startCommand(argv: string[], ready: RegExp) {
  const abort = new AbortController()
  const cap = captureIo()
  const done = main(argv, { ...cap.io, signal: abort.signal })
  const deadline = Date.now() + 60_000
  while (!ready.test(cap.out)) {
    if (Date.now() > deadline) throw new Error(`not ready: ${cap.out}${cap.err}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    out: () => cap.out,
    stop: () => {
      abort.abort()
      return done
    },
  }
}

test('btt analyze --backend remote against a coordinator and two nodes started by btt; the epoch statement verifies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'btt-cli-net-'))
  const stops: (() => Promise<number>)[] = []
  try {
    const key = captureIo()
    expect(
      await main(
        ['coordinator', 'keys', 'create', '--data', join(dir, 'c'), '--clinic', 'clinic-1'],
        key.io,
      ),
    ).toBe(0)
    const apiKey = key.out.trim()
    expect(apiKey).toMatch(/^btt_ck_[0-9a-f]{64}$/)
    const coordinator = await startCommand(
      ['coordinator', 'start', '--port', '0', '--data', join(dir, 'c'), '--verify-fraction', '1'],
      /coordinator on (\S+)/,
    )
    stops.push(coordinator.stop)
    const url = /coordinator on (\S+)/.exec(coordinator.out())![1]!
    for (const n of [1, 2]) {
      expect(
        await main(['node', 'key', 'create', '--out', join(dir, `n${n}.key`)], captureIo().io),
      ).toBe(0)
      const node = await startCommand(
        [
          'node',
          'start',
          '--coordinator',
          url,
          '--key',
          join(dir, `n${n}.key`),
          '--region',
          'cn-east',
        ],
        /serving btt\.nodule-demo/,
      )
      stops.push(node.stop)
    }
    expect(await main(['demo-study', join(dir, 'study')], captureIo().io)).toBe(0)
    const missing = captureIo()
    expect(
      await main(
        ['analyze', join(dir, 'study'), '--backend', 'remote', '--out', join(dir, 'out')],
        missing.io,
      ),
    ).toBe(2)
    expect(missing.err).toMatch(/--coordinator/)
    const run = captureIo()
    process.env.BTT_API_KEY = apiKey
    try {
      expect(
        await main(
          [
            'analyze',
            join(dir, 'study'),
            '--backend',
            'remote',
            '--coordinator',
            url,
            '--out',
            join(dir, 'out'),
          ],
          run.io,
        ),
        run.err,
      ).toBe(0)
    } finally {
      delete process.env.BTT_API_KEY
    }
    expect(run.out).toMatch(/on remote/)
    expect(run.out).toMatch(/✔ nodule/)
    expect(run.out).toMatch(
      /receipt [0-9a-f]{12}… signed by 0x[0-9a-fA-F]{40}, verified by 1, billed \d+\.\d{2} CNY/,
    )
    // uptime is what the coordinator measured: let it ping the nodes (every 2 s) at least once
    await new Promise((r) => setTimeout(r, 2500))
    const epoch = captureIo()
    expect(
      await main(
        [
          'coordinator',
          'epoch',
          '--data',
          join(dir, 'c'),
          '--epoch-id',
          'e1',
          '--epoch',
          '0',
          '--epoch-seconds',
          '3600',
          '--out',
          dir,
        ],
        epoch.io,
      ),
      epoch.err,
    ).toBe(0)
    const verify = captureIo()
    expect(
      await main(
        ['coordinator', 'verify-epoch', join(dir, 'statement.json'), join(dir, 'receipts.json')],
        verify.io,
      ),
    ).toBe(0)
    expect(verify.out).toMatch(/statement e1 verified/)
    expect(JSON.parse(readFileSync(join(dir, 'receipts.json'), 'utf8'))).toHaveLength(1)
  } finally {
    for (const stop of stops.reverse()) await stop()
    rmSync(dir, { recursive: true, force: true })
  }
}, 120_000)

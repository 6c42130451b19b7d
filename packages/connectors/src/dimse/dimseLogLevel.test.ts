import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest'
import { createStoreScp } from './createStoreScp.js'
import { holdDimseLogLevel } from './dimseLogLevel.js'
import { echoScu } from './scu.js'

// dcmjs-dimse's logger (loglevel's default logger): 0 trace … 3 warn, 4 error, 5 silent
const log: { getLevel(): number } = createRequire(import.meta.url)('dcmjs-dimse').log
const WARN = 3
const INFO = 2
const dir = mkdtempSync(join(tmpdir(), 'btt-dimse-log-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => vi.restoreAllMocks())

describe('dcmjs-dimse logging', () => {
  test('quiet once connectors loads it: warnings and errors only', () => {
    expect(log.getLevel()).toBe(WARN)
  })

  test('held levels: the most verbose holder wins; back to warn when all are released', () => {
    const info = holdDimseLogLevel('info')
    const silent = holdDimseLogLevel('silent')
    expect(log.getLevel()).toBe(INFO)
    const trace = holdDimseLogLevel('trace')
    expect(log.getLevel()).toBe(0)
    trace()
    expect(log.getLevel()).toBe(INFO)
    info()
    info() // a second release does nothing
    expect(log.getLevel()).toBe(5)
    silent()
    expect(log.getLevel()).toBe(WARN)
  })

  test('an association with the SCP logs no PDU by default, and each PDU at logLevel info', async () => {
    // loglevel binds console's methods when the level is set: spy first
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    const plain = vi.spyOn(console, 'log').mockImplementation(() => {})
    const logged = () => [...info.mock.calls, ...plain.mock.calls].map((c) => c.join(' '))
    for (const logLevel of [undefined, 'info'] as const) {
      const scp = createStoreScp({
        port: 0,
        aet: 'BTT',
        spoolDir: join(dir, 'spool'),
        ...(logLevel ? { logLevel } : {}),
      })
      const port = await scp.listen()
      try {
        expect(await echoScu({ host: '127.0.0.1', port, calledAet: 'BTT' })).toBe(true)
      } finally {
        scp.close()
      }
      if (!logLevel) expect(logged()).toEqual([])
      else expect(logged().join('\n')).toMatch(/INFO -- .*Association request/s)
    }
    expect(log.getLevel()).toBe(WARN)
  })

  test('logLevel is checked: an unknown level is CONNECTORS_INVALID_ARGUMENT', async () => {
    const invalid = { code: 'CONNECTORS_INVALID_ARGUMENT' }
    expect(() =>
      createStoreScp({
        port: 0,
        aet: 'BTT',
        spoolDir: join(dir, 'never'),
        logLevel: 'loud' as never,
      }),
    ).toThrow(expect.objectContaining(invalid))
    await expect(
      echoScu({ host: '127.0.0.1', port: 104, calledAet: 'X', logLevel: 'verbose' as never }),
    ).rejects.toMatchObject(invalid)
    expect(log.getLevel()).toBe(WARN)
  })
})

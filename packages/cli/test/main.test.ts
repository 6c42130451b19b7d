import { expect, test } from 'vitest'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

test('btt --help lists every command; no command exits 2 with the usage', async () => {
  const help = captureIo()
  expect(await main(['--help'], help.io)).toBe(0)
  for (const name of ['sim', 'analyze', 'demo-study', 'deid', 'pacs'])
    expect(help.out).toContain(name)
  const none = captureIo()
  expect(await main([], none.io)).toBe(2)
  expect(none.err).toMatch(/^error CLI_USAGE: missing command; expected one of sim, /)
  expect(none.err).toContain('Usage: btt <command>')
  const json = captureIo()
  expect(await main(['--json'], json.io)).toBe(2)
  expect(JSON.parse(json.err)).toMatchObject({
    code: 'CLI_USAGE',
    message: expect.stringMatching(/^missing command/),
  })
})

test('an unknown command or option is a usage error (exit 2), not a stack trace', async () => {
  const unknown = captureIo()
  expect(await main(['frobnicate'], unknown.io)).toBe(2)
  expect(unknown.err).toMatch(/unknown command "frobnicate"/)
  const option = captureIo()
  expect(await main(['sim', 'check', 'seed-model', '--no-such-flag'], option.io)).toBe(2)
  expect(option.err).not.toMatch(/\n\s+at /)
})

test('a coded error prints "error CODE: message", exits by its kind, and never shows a stack', async () => {
  const run = captureIo()
  const code = await main(['sim', 'check', '/nonexistent/scenario.yaml'], run.io)
  expect(code).toBeGreaterThanOrEqual(3)
  expect(code).toBeLessThan(70) // a coded error, not an unexpected one
  expect(run.err).toMatch(/^error [A-Z][A-Z0-9_]+: /)
  expect(run.err).not.toMatch(/^error CORE_UNKNOWN/)
  expect(run.err).not.toMatch(/\n\s+at /)
})

test('--json prints { code, message, details }; --debug adds the stack', async () => {
  const json = captureIo()
  const code = await main(['sim', 'check', '/nonexistent/scenario.yaml', '--json'], json.io)
  const parsed = JSON.parse(json.err.trim())
  expect(parsed.code).toMatch(/^[A-Z][A-Z0-9_]+$/)
  expect(typeof parsed.message).toBe('string')
  const debug = captureIo()
  expect(await main(['sim', 'check', '/nonexistent/scenario.yaml', '--debug'], debug.io)).toBe(code)
  expect(debug.err).toMatch(/\n\s+at /)
})

test('an unknown or missing subcommand says which, and what was expected (exit 2; --json too)', async () => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /^error CLI_USAGE: unknown command "frobnicate"; expected one of sim, /],
    [
      ['payfi', 'frobnicate'],
      /^error CLI_USAGE: unknown subcommand "frobnicate" for "btt payfi"; expected one of serve, /,
    ],
    [
      ['payfi', 'api-key', 'nope'],
      /^error CLI_USAGE: unknown subcommand "nope" for "btt payfi api-key"/,
    ],
    [
      ['chain', 'nope'],
      /^error CLI_USAGE: unknown subcommand "nope" for "btt chain"; expected one of deploy/,
    ],
    [['chain'], /^error CLI_USAGE: missing subcommand for "btt chain"; expected one of deploy/],
    [['node', 'bogus'], /^error CLI_USAGE: unknown subcommand "bogus" for "btt node"/],
    [['node', 'key', 'bogus'], /^error CLI_USAGE: unknown subcommand "bogus" for "btt node key"/],
    [
      ['coordinator', 'bogus'],
      /^error CLI_USAGE: unknown subcommand "bogus" for "btt coordinator"/,
    ],
    [['tokenize', 'bogus'], /^error CLI_USAGE: unknown subcommand "bogus" for "btt tokenize"/],
    [['ehr', 'bogus'], /^error CLI_USAGE: unknown subcommand "bogus" for "btt ehr"/],
    [['ehr', 'key', 'bogus'], /^error CLI_USAGE: unknown subcommand "bogus" for "btt ehr key"/],
    [['pacs', 'bogus'], /^error CLI_USAGE: unknown subcommand "bogus" for "btt pacs"/],
    [['sim', 'bogus'], /^error CLI_USAGE: unknown subcommand "bogus" for "btt sim"/],
  ]
  for (const [argv, message] of cases) {
    const run = captureIo()
    expect(await main(argv, run.io), argv.join(' ')).toBe(2)
    expect(run.err, argv.join(' ')).toMatch(message)
    expect(run.err).toContain('Usage:')
    const json = captureIo()
    expect(await main([...argv, '--json'], json.io)).toBe(2)
    expect(JSON.parse(json.err.trim())).toMatchObject({ code: 'CLI_USAGE' })
  }
})

test('an unknown flag names itself with the CLI_USAGE code, also where a command parsed loosely', async () => {
  for (const argv of [
    ['sim', 'check', 'seed-model', '--no-such-flag'],
    ['ehr', 'key', 'create', '--out', '/nonexistent/k.json', '--no-such-flag'],
    ['chain', 'deploy', '--no-such-flag'],
  ]) {
    const run = captureIo()
    expect(await main(argv, run.io), argv.join(' ')).toBe(2)
    expect(run.err).toMatch(/^error CLI_USAGE: Unknown option '--no-such-flag'/)
  }
})

test('contradictory storage flags are a usage error, not one silently ignored', async () => {
  for (const argv of [
    [
      'payfi',
      'serve',
      '--ledger',
      '/nonexistent/l.sqlite',
      '--postgres',
      'postgres://127.0.0.1:9/x',
    ],
    ['coordinator', 'start', '--data', '/nonexistent/d', '--redis', 'redis://127.0.0.1:9'],
  ]) {
    const run = captureIo()
    expect(await main(argv, run.io), argv.join(' ')).toBe(2)
    expect(run.err).toMatch(
      /^error CLI_USAGE: --(ledger and --postgres|data and --redis) contradict/,
    )
  }
})

import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { commands } from '../src/commands.js'
import { main } from '../src/main.js'
import { captureIo } from './io.js'

const root = join(import.meta.dirname, '..', '..', '..')

/** The subcommand paths a command's usage lists (`btt payfi api-key create …` → api-key create). */
function subcommandsOf(name: string, usage: string): string[][] {
  const paths = new Map<string, string[]>()
  for (const match of usage.matchAll(new RegExp(`^\\s*btt ${name}((?: [a-z][a-z-]*)*)`, 'gm'))) {
    const path = (match[1] ?? '').trim().split(' ').filter(Boolean)
    if (path.length) paths.set(path.join(' '), path)
  }
  return [...paths.values()]
}

const usages = await Promise.all(
  commands.map(async (c) => ({ name: c.name, usage: (await c.load()).usage })),
)
const cases = usages.flatMap(({ name, usage }) =>
  [[], ...subcommandsOf(name, usage)].map((path) => ({ argv: [name, ...path], usage })),
)

describe('--help on every command and subcommand', () => {
  test('every command with subcommands lists them in its usage', () => {
    for (const { name, usage } of usages) {
      expect(usage, name).toMatch(/^Usage:\n/)
      expect(usage, name).toContain(`btt ${name}`)
    }
    const listed = cases.map((c) => c.argv.join(' '))
    for (const path of [
      'sim run',
      'payfi serve',
      'payfi api-key create',
      'node start',
      'ehr serve',
    ])
      expect(listed).toContain(path)
    expect(cases.length).toBeGreaterThan(2 * commands.length)
  })

  test.each(cases.map((c) => [c.argv.join(' '), c] as const))(
    'btt %s --help prints the usage and exits 0 (also -h and with --json/--debug)',
    async (_, { argv, usage }) => {
      for (const flags of [['--help'], ['-h'], ['--json', '--help'], ['--help', '--debug']]) {
        const io = captureIo()
        expect(await main([...argv, ...flags], io.io), [...argv, ...flags].join(' ')).toBe(0)
        expect(io.out).toBe(`${usage}\n`)
        expect(io.err).toBe('')
      }
    },
  )
})

describe('flags are named alike across commands', () => {
  test('outputs are --out; --json and --debug are global options of btt', async () => {
    const top = captureIo()
    expect(await main(['--help'], top.io)).toBe(0)
    expect(top.out).toMatch(/^\s+--json\s/m)
    expect(top.out).toMatch(/^\s+--debug\s/m)
    for (const { name, usage } of usages) {
      expect(usage, name).not.toMatch(/--(output|outdir|out-dir|out-file|verbose|debug)\b/)
    }
  })
})

describe('the btt process', () => {
  test.each(['--help', 'help', 'deid --help', 'payfi serve --help'])(
    'btt %s exits 0 with the usage on stdout and nothing on stderr',
    (line) => {
      const argv = line.split(' ')
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--conditions=@btt/source', 'packages/cli/src/bin.ts', ...argv],
        { cwd: root, encoding: 'utf8', timeout: 60_000 },
      )
      expect(run.stderr).toBe('')
      expect(run.status).toBe(0)
      expect(run.stdout).toMatch(/Usage:/)
    },
  )
})

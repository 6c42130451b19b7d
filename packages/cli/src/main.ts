import { commands } from './commands.js'
import { exitCodeByKind, exitCodes } from './exitCodes.js'
import type { Io } from './io.js'

const usage = `btt — the BTT SDK command line

Usage: btt <command> [options]     btt <command> --help

Commands:
${commands.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join('\n')}

Global options:
  --json    machine-readable output; errors print {"code","message","details"}
  --debug   errors print their stack and causes

Exit codes: 0 ok, 1 some items failed, 2 usage, 3 invalid input, 4 not found, 5 conflict,
6 unauthorized/forbidden, 7 peer unavailable, 8 timeout, 9 local I/O, 10 integrity, 70 internal.`

/**
 * Runs the CLI with `argv` (without node and script); returns the exit code. Errors are printed
 * as `error CODE: message` (no stack unless `--debug`; `{ code, message, details }` with `--json`),
 * and the exit code follows from the error's kind (see `exitCodeByKind`).
 */
export async function main(
  argv: string[],
  io: Io = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const debug = argv.includes('--debug')
  const json = argv.includes('--json')
  const [name, ...rest] = argv.filter((a) => a !== '--debug' && a !== '--json')
  const cli: Io = { ...io, debug, json }
  if (name === 'help' || name === '--help' || name === '-h') {
    io.out.write(`${usage}\n`)
    return exitCodes.ok
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    const names = commands.map((c) => c.name).join(', ')
    const what = name === undefined ? 'missing command' : `unknown command "${name}"`
    const message = `${what}; expected one of ${names}`
    return report(Object.assign(new Error(message), { code: 'CLI_USAGE' }), cli, usage)
  }
  let loaded: Awaited<ReturnType<typeof command.load>> | undefined
  try {
    loaded = await command.load()
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out.write(`${loaded.usage}\n`)
      return exitCodes.ok
    }
    return await loaded.run(rest, cli)
  } catch (error) {
    return report(error, cli, loaded?.usage ?? usage)
  }
}

/** Prints an error the way the CLI promises and returns its exit code. */
function report(error: unknown, io: Io, usage: string): number {
  // node:util parseArgs (unknown option, missing value, …) and UsageError (./usage.ts)
  if (isUsageError(error)) {
    if (io.json) io.err.write(`${JSON.stringify({ code: 'CLI_USAGE', message: error.message })}\n`)
    else io.err.write(`error CLI_USAGE: ${error.message}\n\n${usage}\n`)
    return exitCodes.usage
  }
  const coded = isBttError(error)
  const code = coded ? error.code : 'CORE_UNKNOWN'
  const kind = coded ? error.kind : 'internal'
  const message = coded
    ? error.message
    : error instanceof Error
      ? error.message
      : `Non-error thrown: ${String(error)}`
  if (io.json) {
    const details = coded ? error.details : undefined
    io.err.write(
      `${JSON.stringify({ code, message: coded ? error.shortMessage : message, ...(details ? { details } : {}) })}\n`,
    )
  } else {
    io.err.write(`error ${code}: ${message}\n`)
    if (!coded && !io.debug)
      io.err.write('(an unexpected error; run again with --debug for the stack)\n')
  }
  if (io.debug) io.err.write(`${causes(error)}\n`)
  return exitCodeByKind[kind] ?? exitCodeByKind.internal
}

type CodedError = Error & {
  code: string
  kind: keyof typeof exitCodeByKind
  shortMessage: string
  details?: Readonly<Record<string, unknown>> | undefined
}

// Structural, so that `btt --help` need not load @btt/core to recognise its errors.
function isBttError(error: unknown): error is CodedError {
  return (
    error instanceof Error &&
    typeof (error as CodedError).code === 'string' &&
    typeof (error as CodedError).kind === 'string' &&
    (error as CodedError).kind in exitCodeByKind
  )
}

function isUsageError(error: unknown): error is Error {
  if (!(error instanceof Error) || !('code' in error)) return false
  return error.code === 'CLI_USAGE' || String(error.code).startsWith('ERR_PARSE_ARGS')
}

function causes(error: unknown): string {
  const lines: string[] = []
  let e: unknown = error
  for (let depth = 0; e !== undefined && depth < 10; depth++) {
    lines.push(
      `${depth ? 'Caused by: ' : ''}${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    )
    e = e instanceof Error ? e.cause : undefined
  }
  return lines.join('\n')
}

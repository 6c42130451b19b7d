import { BaseError } from '@btt/core'
import { analyzeCommand, analyzeUsage, demoStudyCommand } from './commands/analyze.js'
import { deidCommand, deidUsage } from './commands/deid.js'
import { pacsCommand, pacsUsage } from './commands/pacs.js'
import { type Io, simCommand, simUsage } from './commands/sim.js'

const usage = `btt — the BTT SDK command line

${simUsage}

${analyzeUsage}

${deidUsage}

${pacsUsage}`

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(
  argv: string[],
  io: Io = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'sim':
        return await simCommand(rest, io)
      case 'analyze':
        return await analyzeCommand(rest, io)
      case 'demo-study':
        return demoStudyCommand(rest, io)
      case 'deid':
        return deidCommand(rest, io)
      case 'pacs':
        return await pacsCommand(rest, io)
      case undefined:
      case 'help':
      case '--help':
        io.out.write(`${usage}\n`)
        return command === undefined ? 2 : 0
      default:
        io.err.write(`unknown command "${command}"\n\n${usage}\n`)
        return 2
    }
  } catch (error) {
    // node:util parseArgs: unknown option, missing value, …
    if (
      error instanceof Error &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      io.err.write(`${error.message}\n\n${usage}\n`)
      return 2
    }
    if (error instanceof BaseError) {
      io.err.write(`${error.name}: ${error.message}\n`)
      return 1
    }
    io.err.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    return 1
  }
}

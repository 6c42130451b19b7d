import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { SimulatorError, simulateFlagsSchema } from '@btt/simulator'
import { openFile } from './openFile.js'
import { runSeedModel } from './seedModel.js'

// Usage: pnpm --filter @btt/example-researcher-simulator start [folder] [--full] [--runs N]
//          [--workers N] [--open]
// The quick case (2 runs of the first 12 months) by default; --full runs the preset as written.
// Prints the path of report.html; --open opens it in the desktop's browser.
// (`pnpm start -- --flag` passes the `--` through: it is not a positional here)
const args = process.argv.slice(2).filter((a, i) => i > 0 || a !== '--')
const { values, positionals } = (() => {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        full: { type: 'boolean', default: false },
        runs: { type: 'string' },
        workers: { type: 'string' },
        open: { type: 'boolean', default: false },
      },
    })
  } catch (error) {
    console.error((error as Error).message)
    process.exit(2)
  }
})()
// the flags checked with the simulator's own schema (its bounds) before anything is made
const flags = simulateFlagsSchema.safeParse({
  out: positionals[0] ?? '(temporary)',
  ...(values.runs !== undefined ? { runs: values.runs } : {}),
  ...(values.workers !== undefined ? { workers: values.workers } : {}),
})
if (!flags.success) {
  for (const i of flags.error.issues) console.error(`--${String(i.path[0])}: ${i.message}`)
  process.exit(2)
}
const out = positionals[0]
  ? resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0])
  : mkdtempSync(join(tmpdir(), 'btt-seed-model-'))
const tty = process.stdout.isTTY === true
try {
  const { lines, report, summary } = await runSeedModel({
    out,
    full: values.full,
    ...(flags.data.runs !== undefined ? { runs: flags.data.runs } : {}),
    ...(flags.data.workers !== undefined ? { workers: flags.data.workers } : {}),
    onProgress: (p) => {
      if (tty)
        process.stdout.write(
          `\rruns ${p.done}/${p.total} · ${(p.elapsedMs / 1000).toFixed(1)} s   `,
        )
    },
  })
  if (tty) process.stdout.write('\n')
  for (const line of lines) console.log(line)
  console.log(`\nreport: ${report}`)
  if (values.open && !(await openFile(report)))
    console.log('(no desktop opener found here: open the file in a browser)')
  process.exitCode = summary.failedRuns.length ? 1 : 0
} catch (error) {
  if (!(error instanceof SimulatorError)) throw error
  console.error(`${error.code}: ${error.message}`)
  process.exitCode = 2
}

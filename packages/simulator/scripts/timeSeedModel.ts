// Times a preset end to end through simulate() — the path `btt sim run` takes: workers, CSVs,
// summary.json, report.html — and prints node-epochs per second (wall, and per CPU-second of the
// whole process, its worker threads included) and the peak RSS of the process (workers included).
//
//   pnpm tsx --conditions=@btt/source packages/simulator/scripts/timeSeedModel.ts \
//     [--runs 100] [--workers 2] [--out out/seed] [--preset seed-model]
//
// Without --out the outputs go to a temporary folder that is removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadScenarioFile, simulate } from '../src/index.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    workers: { type: 'string', default: '2' },
    out: { type: 'string' },
    preset: { type: 'string', default: 'seed-model' },
  },
})
const runs = Number(values.runs)
const out = values.out ?? mkdtempSync(join(tmpdir(), 'btt-sim-time-'))
const { scenario, files } = loadScenarioFile(values.preset)
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const summary = await simulate(scenario, {
  runs,
  workers: Number(values.workers),
  out,
  inputs: files,
}).summary
const wall = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
const cpuS = (cpu.user + cpu.system) / 1e6
const rss = process.resourceUsage().maxRSS / 1024
const perS = (x: number) => `${(summary.nodeEpochs / x / 1e6).toFixed(1)}M`
console.log(
  [
    `${values.preset}: ${runs} runs, ${values.workers} workers, ${(summary.nodeEpochs / 1e9).toFixed(2)} billion node-epochs (every node every epoch)`,
    `wall ${wall.toFixed(1)} s (${perS(wall)} node-epochs/s), CPU ${cpuS.toFixed(1)} s (${perS(cpuS)} per CPU-second), peak RSS ${rss.toFixed(0)} MiB`,
    runs < 100
      ? `100 runs ≈ ${((wall * 100) / runs).toFixed(0)} s at this rate (runs are independent)`
      : '',
    `failed runs: ${summary.failedRuns.length}; outputs in ${values.out ?? '(temporary, removed)'}`,
  ]
    .filter(Boolean)
    .join('\n'),
)
if (!values.out) rmSync(out, { recursive: true, force: true })

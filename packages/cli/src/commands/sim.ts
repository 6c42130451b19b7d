import { parseArgs } from 'node:util'
import { BaseError } from '@btt/core'
import {
  parseScenario,
  readScenarioFile,
  type SimulationProgress,
  type SimulationSummary,
  simulate,
} from '@btt/simulator'

export const simUsage = `Usage:
  btt sim run <scenario|preset> --out <dir> [--runs N] [--seed N] [--workers N]
  btt sim check <scenario|preset>

Presets: seed-model, helium-hip20, filecoin, monthly-decay`

/** Where a command writes: process.stdout/stderr, or anything with `write` (tests). */
export type Io = {
  out: { write(s: string): boolean; isTTY?: boolean | undefined }
  err: { write(s: string): boolean }
  /** Stops a long-running command (`pacs watch`) as Ctrl-C would; for embedding and tests. */
  signal?: AbortSignal
}

/** `btt sim …`; returns the process exit code. */
export async function simCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
    },
  })
  const file = positionals[0]
  if ((sub !== 'run' && sub !== 'check') || !file) {
    io.err.write(`${simUsage}\n`)
    return 2
  }
  const raw = readScenarioFile(file)
  if (sub === 'check') {
    const parsed = parseScenario(raw, file)
    const v = parsed.variants.length
    io.out.write(
      `✔ ${file}: scenario "${parsed.scenario.name}" is valid (${v} variant${v === 1 ? '' : 's'} × ${parsed.scenario.runs} runs, ${parsed.scenario.horizonMonths} months, ${parsed.scenario.claims.length} claims)\n`,
    )
    return 0
  }
  if (!values.out) {
    io.err.write(`--out <dir> is required\n${simUsage}\n`)
    return 2
  }
  const int = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined
    if (!/^\d+$/.test(value))
      throw new BaseError(`--${name} must be a whole number, got "${value}"`)
    return Number(value)
  }
  const runs = int('runs', values.runs)
  const seed = int('seed', values.seed)
  const workers = int('workers', values.workers)
  const progress = progressPrinter(io)
  const sim = simulate(raw, {
    source: file,
    out: values.out,
    onProgress: progress,
    ...(runs !== undefined ? { runs } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(workers !== undefined ? { workers } : {}),
  })
  const summary = await sim.summary
  progress.end()
  io.out.write(describe(summary, values.out))
  return summary.failedRuns.length ? 1 : 0
}

function progressPrinter(io: Io) {
  const tty = Boolean(io.out.isTTY)
  let lastStep = -1
  const fn = (p: SimulationProgress) => {
    const eta =
      p.done < p.total ? `ETA ${Math.ceil(p.etaMs / 1000)}s` : `${(p.elapsedMs / 1000).toFixed(1)}s`
    const failed = p.failed ? ` · ${p.failed} failed` : ''
    if (tty) {
      const width = 30
      const filled = Math.round((p.done / p.total) * width)
      io.out.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total} runs${failed} · ${eta}   `,
      )
    } else {
      const step = Math.floor((p.done / p.total) * 10)
      if (step !== lastStep) {
        lastStep = step
        io.out.write(`runs ${p.done}/${p.total}${failed} · ${eta}\n`)
      }
    }
  }
  fn.end = () => {
    if (tty) io.out.write('\n')
  }
  return fn
}

function describe(s: SimulationSummary, out: string): string {
  const lines = [
    `${s.scenario}: ${s.variants.length} variant(s) × ${s.runsPerVariant} runs in ${(s.elapsedMs / 1000).toFixed(1)}s (${(s.nodeEpochsPerSecond / 1e6).toFixed(0)}M node-epochs/s)`,
  ]
  for (const v of s.variants) {
    const label = Object.entries(v.parameters)
      .map(([k, x]) => `${k}=${x}`)
      .join(', ')
    if (label) lines.push(`variant ${v.index}: ${label}`)
    for (const c of v.claims)
      lines.push(
        `  ${c.probability >= 0.5 ? '✔' : '✖'} ${c.id}: holds in ${(c.probability * 100).toFixed(0)}% of runs${c.sensitivity[0] ? ` · most sensitive to ${c.sensitivity[0].parameter} (ρ ${c.sensitivity[0].correlation.toFixed(2)})` : ''}`,
      )
  }
  for (const f of s.failedRuns)
    lines.push(`  ✖ run ${f.run} (variant ${f.variant}, seed ${f.seed}) failed: ${f.message}`)
  lines.push(`wrote ${out}/epochs.csv, months.csv, summary.json, report.html`)
  return `${lines.join('\n')}\n`
}

import { parseArgs } from 'node:util'
import {
  loadScenarioFile,
  parseScenario,
  type SimulationProgress,
  type SimulationSummary,
  SimulatorError,
  simulate,
  simulateFlagsSchema,
} from '@btt/simulator'
import type { Io } from '../io.js'
import { subcommand, UsageError } from '../usage.js'

export type { Io } from '../io.js'

export const simUsage = `Usage:
  btt sim run <scenario|preset> --out <dir> [--runs N] [--seed N] [--workers N]
  btt sim check <scenario|preset>

--runs (1–1,000,000) and --seed (0–4,294,967,295) have the scenario's own bounds; --workers
0–1024 (0: on this thread). --out must be a folder (created if missing), not the scenario.
Presets: seed-model, helium-hip20, filecoin, monthly-decay`

/** `btt sim …`; returns the process exit code. Errors are thrown (coded) for main to print. */
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
  const usage = (problem: string): never => {
    throw new UsageError(problem)
  }
  subcommand('btt sim', sub, ['run', 'check'])
  if (positionals.length !== 1)
    return usage(`btt sim ${sub} takes one scenario, got ${positionals.length}`)
  const file = positionals[0]!
  if (sub === 'check') {
    const given = Object.keys(values)
    if (given.length) return usage(`btt sim check takes no options (got --${given.join(', --')})`)
    return check(file, io)
  }
  if (values.out === undefined) return usage('--out <dir> is required')
  const flags = parseFlags(values)
  const { scenario, files } = loadScenarioFile(file)
  const progress = progressPrinter(io)
  const sim = simulate(scenario, {
    source: file,
    out: flags.out,
    inputs: files,
    ...(io.json ? {} : { onProgress: progress }),
    ...(flags.runs !== undefined ? { runs: flags.runs } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
  })
  const summary = await sim.summary
  progress.end()
  io.out.write(
    io.json ? `${JSON.stringify(verdicts(summary, flags.out))}\n` : describe(summary, flags.out),
  )
  return summary.failedRuns.length ? 1 : 0
}

function check(file: string, io: Io): number {
  const parsed = parseScenario(loadScenarioFile(file).scenario, file)
  const v = parsed.variants.length
  const { name, runs, horizonMonths, claims } = parsed.scenario
  if (io.json) {
    const facts = {
      valid: true,
      scenario: name,
      variants: v,
      runs,
      horizonMonths,
      claims: claims.length,
    }
    io.out.write(`${JSON.stringify(facts)}\n`)
    return 0
  }
  io.out.write(
    `✔ ${file}: scenario "${parsed.scenario.name}" is valid (${v} variant${v === 1 ? '' : 's'} × ${parsed.scenario.runs} runs, ${parsed.scenario.horizonMonths} months, ${parsed.scenario.claims.length} claims)\n`,
  )
  return 0
}

/**
 * The flags, checked with the simulator's own schema (the scenario's bounds for --runs and
 * --seed); every problem is named by its flag.
 */
function parseFlags(values: Record<string, string | undefined>) {
  const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined))
  const result = simulateFlagsSchema.safeParse(given)
  if (result.success) return result.data
  const issues = result.error.issues.map((i) => {
    const flag = String(i.path[0] ?? '')
    return { path: `--${flag}`, message: i.message, value: given[flag] ?? null }
  })
  throw new SimulatorError(
    'SIM_INVALID_ARGUMENT',
    issues.map((i) => `${i.path} ${JSON.stringify(i.value)}: ${i.message}`).join('; '),
    { details: { issues } },
  )
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

/** `--json`: the verdicts and failures, without the monthly quantiles (those are in summary.json). */
function verdicts(s: SimulationSummary, out: string) {
  return {
    out,
    scenario: s.scenario,
    runsPerVariant: s.runsPerVariant,
    seed: s.seed,
    variants: s.variants.map(({ index, parameters, runs, failed, payback, claims, nodes }) => ({
      index,
      parameters,
      runs,
      failed,
      payback,
      claims,
      ...(nodes ? { nodes } : {}),
    })),
    failedRuns: s.failedRuns,
  }
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '–')

/** Per-node facts (medians across runs): ROI spread, inequality, exits, payback. */
function nodeLines(nodes: NonNullable<SimulationSummary['variants'][number]['nodes']>): string[] {
  const lines = ['  per node (medians across runs):']
  for (const [g, f] of Object.entries(nodes))
    lines.push(
      `    ${g}: monthly ROI in year 1 p5 ${pct(f.roiYear1.p5)} · p50 ${pct(f.roiYear1.p50)} · p95 ${pct(f.roiYear1.p95)}; Gini ${f.giniMonth12.toFixed(2)} → ${f.giniLast.toFixed(2)}, top 10% take ${pct(f.top10ShareLast)}; ${Math.round(f.leftForLosses)} left for losses; ${pct(f.paidBack)} of starting nodes paid back`,
    )
  return lines
}

function describe(s: SimulationSummary, out: string): string {
  const lines = [
    `${s.scenario}: ${s.variants.length} variant(s) × ${s.runsPerVariant} runs in ${(s.elapsedMs / 1000).toFixed(1)}s (${(s.nodeEpochsPerSecond / 1e6).toFixed(1)}M node-epochs/s, every node evaluated every epoch)`,
  ]
  for (const v of s.variants) {
    const label = Object.entries(v.parameters)
      .map(([k, x]) => `${k}=${x}`)
      .join(', ')
    if (label) lines.push(`variant ${v.index}: ${label}`)
    for (const c of v.claims)
      lines.push(
        c.runs === 0
          ? `  ? ${c.id}: no verdict, no run of this variant finished`
          : `  ${c.probability >= 0.5 ? '✔' : '✖'} ${c.id}: holds in ${(c.probability * 100).toFixed(0)}% of ${c.runs} runs${c.sensitivity[0] ? ` · most sensitive to ${c.sensitivity[0].parameter} (ρ ${c.sensitivity[0].correlation.toFixed(2)})` : ''}`,
      )
  }
  for (const v of s.variants) if (v.nodes) lines.push(...nodeLines(v.nodes))
  for (const f of s.failedRuns)
    lines.push(`  ✖ run ${f.run} (variant ${f.variant}, seed ${f.seed}) failed: ${f.message}`)
  lines.push(`wrote ${out}/epochs.csv, months.csv, summary.json, report.html`)
  return `${lines.join('\n')}\n`
}

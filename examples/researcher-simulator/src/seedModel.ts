import { join } from 'node:path'
import {
  loadScenarioFile,
  parseScenario,
  type SimulationProgress,
  type SimulationSummary,
  simulate,
} from '@btt/simulator'

/** The quick case: the model's first year, which all but one of its claims are about. */
export const QUICK = { runs: 2, horizonMonths: 12 } as const

export type SeedModelOptions = {
  /** Where epochs.csv, months.csv, summary.json and report.html go. */
  out: string
  /** The preset as written (100 runs × 96 months) instead of the quick case. */
  full?: boolean
  /** Runs per variant (the quick case's 2, or the preset's 100 with `full`, when omitted). */
  runs?: number
  /** Worker threads (0: on this thread); the quick case runs on this thread by default. */
  workers?: number
  onProgress?: (p: SimulationProgress) => void
}

export type SeedModelResult = {
  summary: SimulationSummary
  report: string
  lines: string[]
}

/**
 * The seed-model scenario (the business model's own claims: contributor ROI per tier, market
 * volume, the 70% share) through the Monte Carlo reward simulator. By default a quick case —
 * 2 runs of the first 12 months, claims cut to that horizon — so it ends in seconds; `full` runs
 * the preset as written. Writes the CSVs, summary.json and report.html into `out`.
 *
 * @returns the summary, the path of report.html and the lines to print.
 */
export async function runSeedModel(options: SeedModelOptions): Promise<SeedModelResult> {
  const { scenario, files } = loadScenarioFile('seed-model')
  const quick = !options.full
  const horizon = QUICK.horizonMonths
  const chosen = quick
    ? {
        ...scenario,
        horizonMonths: horizon,
        claims: (scenario.claims as { months: [number, number] }[]).map((c) => ({
          ...c,
          months: [Math.min(c.months[0], horizon), Math.min(c.months[1], horizon)],
        })),
      }
    : scenario
  const parsed = parseScenario(chosen, 'seed-model').scenario
  const runs = options.runs ?? (quick ? QUICK.runs : undefined)
  const workers = options.workers ?? (quick ? 0 : undefined)
  const sim = simulate(chosen, {
    source: 'seed-model',
    out: options.out,
    inputs: files,
    ...(runs !== undefined ? { runs } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  })
  const summary = await sim.summary
  const lines = [
    `${summary.scenario}: ${summary.runsPerVariant} runs × ${parsed.horizonMonths} months${quick ? ` (the quick case; --full runs the preset's ${scenario.runs} runs × ${scenario.horizonMonths} months)` : ''} in ${(summary.elapsedMs / 1000).toFixed(1)} s, seed ${summary.seed}`,
  ]
  for (const v of summary.variants)
    for (const c of v.claims)
      lines.push(
        `  ${c.probability >= 0.5 ? '✔' : '✖'} ${c.id}: holds in ${(c.probability * 100).toFixed(0)}% of ${c.runs} runs — ${c.description ?? ''}`,
      )
  const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '–')
  for (const v of summary.variants)
    for (const [tier, f] of Object.entries(v.nodes ?? {}))
      lines.push(
        `  ${tier}: median monthly ROI in year 1 ${pct(f.roiYear1.p50)} (p5 ${pct(f.roiYear1.p5)}, p95 ${pct(f.roiYear1.p95)}); top 10% of nodes take ${pct(f.top10ShareLast)}`,
      )
  for (const f of summary.failedRuns)
    lines.push(`  ✖ run ${f.run} (seed ${f.seed}) failed: ${f.message}`)
  const report = join(options.out, 'report.html')
  lines.push(`wrote epochs.csv, months.csv, summary.json and ${report}`)
  return { summary, report, lines }
}

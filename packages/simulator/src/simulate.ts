import { createWriteStream, mkdirSync, type WriteStream, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { evaluateClaim, spearman } from './claims/evaluateClaim.js'
import { type PreparedVariant, prepareVariant } from './engine/prepareVariant.js'
import {
  EPOCH_COLUMNS,
  MONTH_COLUMNS,
  type RunResult,
  runOnce,
  TIER_MONTH_COLUMNS,
} from './engine/runOnce.js'
import { type TaskOutcome, WorkerPool } from './engine/workerPool.js'
import { mix32 } from './random/createRng.js'
import { renderReport } from './report/renderReport.js'
import { parseScenario } from './scenario/parseScenario.js'
import type { Claim, ScenarioInput } from './scenario/schema.js'
import { SeriesQuantiles } from './stats/P2Quantile.js'

export type SimulateOptions = {
  /** Monte Carlo runs per variant; the scenario's `runs` when omitted. */
  runs?: number
  /** Master seed; the scenario's `seed` when omitted. Run seeds derive from it. */
  seed?: number
  /** Worker threads; 0 runs everything on the calling thread. Default: the machine's cores. */
  workers?: number
  /** Directory for `epochs.csv`, `months.csv`, `summary.json` and `report.html`. */
  out?: string
  /** Called after each finished run. */
  onProgress?: (progress: SimulationProgress) => void
  /** Name used in error messages (e.g. the scenario's file path). */
  source?: string
}

export type SimulationProgress = {
  done: number
  total: number
  failed: number
  elapsedMs: number
  /** Estimated time left, from the pace so far. */
  etaMs: number
}

export type EpochRecord = {
  variant: number
  run: number
  seed: number
  epoch: number
  month: number
} & Record<(typeof EPOCH_COLUMNS)[number], number>

export type Quantiles = { p5: number[]; p50: number[]; p95: number[]; mean: number[] }

export type ClaimVerdict = {
  id: string
  description: string | undefined
  /** Share of runs in which the claim held. */
  probability: number
  runs: number
  /** Median payback month of the claim's tier (null when most runs never pay back). */
  breakEvenMonth: number | null
  /**
   * Sampled parameters ranked by |Spearman correlation| with the claim's margin (top 5; empty
   * below 10 runs).
   */
  sensitivity: { parameter: string; correlation: number }[]
}

export type VariantSummary = {
  index: number
  parameters: Record<string, number | string | boolean>
  runs: number
  failed: number
  tiers: string[]
  months: Record<string, Quantiles>
  payback: Record<string, { p50: number | null; withinHorizon: number }>
  claims: ClaimVerdict[]
}

export type SimulationSummary = {
  scenario: string
  description: string | undefined
  horizonMonths: number
  epochDays: number
  seed: number
  runsPerVariant: number
  variants: VariantSummary[]
  failedRuns: { variant: number; run: number; seed: number; message: string }[]
  nodeEpochs: number
  elapsedMs: number
  nodeEpochsPerSecond: number
}

/** A running simulation: iterate it for epoch records; `summary` resolves when every run is done. */
export type Simulation = AsyncIterable<EpochRecord> & {
  readonly summary: Promise<SimulationSummary>
}

/**
 * Runs a scenario's Monte Carlo runs (per sweep variant), in worker threads, in a reproducible way:
 * each run has its own generator seeded from the master seed, the variant and the run index, and
 * results are consumed in run order, so the same seed gives the same output on any machine and
 * any number of workers. Results stream: to the iterator, to CSV files under `out`, and into
 * online quantiles and claim tallies — no run is kept after it is consumed.
 *
 * The scenario is validated (with every variant and its engine config) before any run starts.
 *
 * @param scenario - a scenario object, or its YAML / JSON text.
 * @param options - `{ runs?, seed?, workers?, out?, onProgress? }`.
 * @returns an async iterable of epoch records with a `summary` promise.
 * @throws {ScenarioError} synchronously, listing every problem by path.
 * @example
 * ```ts
 * import { simulate } from '@btt/simulator'
 * const sim = simulate(scenarioText, { runs: 20, seed: 7 })
 * const summary = await sim.summary
 * console.log(summary.variants[0].claims)
 * ```
 */
export function simulate(
  scenario: ScenarioInput | string | Readonly<Record<string, unknown>>,
  options: SimulateOptions = {},
): Simulation {
  const source = options.source ?? 'scenario'
  const parsed = parseScenario(scenario, source) // throws before anything starts
  let started: AsyncGenerator<EpochRecord> | undefined
  let resolveSummary!: (s: SimulationSummary) => void
  let rejectSummary!: (e: unknown) => void
  const summary = new Promise<SimulationSummary>((resolve, reject) => {
    resolveSummary = resolve
    rejectSummary = reject
  })
  const start = (emit: boolean) => {
    if (started) throw new Error('a simulation can be consumed once')
    started = drive(scenario, parsed, options, emit, resolveSummary, rejectSummary)
    return started
  }
  return {
    [Symbol.asyncIterator]: () => start(true),
    get summary() {
      if (!started) {
        const it = start(false)
        void (async () => {
          try {
            for await (const _ of it);
          } catch {
            // reported through the summary promise
          }
        })()
      }
      return summary
    },
  }
}

async function* drive(
  raw: ScenarioInput | string | Readonly<Record<string, unknown>>,
  parsed: ReturnType<typeof parseScenario>,
  options: SimulateOptions,
  emit: boolean,
  resolveSummary: (s: SimulationSummary) => void,
  rejectSummary: (e: unknown) => void,
): AsyncGenerator<EpochRecord> {
  const t0 = performance.now()
  const runs = options.runs ?? parsed.scenario.runs
  const seed = options.seed ?? parsed.scenario.seed
  const variants = parsed.variants
  const total = runs * variants.length
  const workers = Math.min(options.workers ?? availableParallelism(), total)
  const tasks = variants.flatMap((v) =>
    Array.from({ length: runs }, (_, run) => ({
      id: v.index * runs + run,
      variant: v.index,
      run,
      seed: mix32(mix32(seed, v.index), run),
    })),
  )

  const writers = options.out ? openWriters(options.out, variants[0]!.scenario.tiers) : undefined
  const state = variants.map((v) =>
    newVariantState(
      v.index,
      v.parameters,
      Object.keys(v.scenario.tiers),
      v.scenario.horizonMonths,
      v.scenario.claims,
    ),
  )
  const failedRuns: SimulationSummary['failedRuns'] = []
  let nodeEpochs = 0
  let done = 0

  const pool =
    workers > 0 ? new WorkerPool(workers, { raw, source: options.source ?? 'scenario' }) : undefined
  const prepared = new Map<number, PreparedVariant>()
  const runInline = async (task: (typeof tasks)[number]): Promise<TaskOutcome> => {
    await new Promise((r) => setImmediate(r))
    try {
      let p = prepared.get(task.variant)
      if (!p) {
        p = prepareVariant(variants[task.variant]!)
        prepared.set(task.variant, p)
      }
      return { id: task.id, result: runOnce(p, task.run, task.seed) }
    } catch (error) {
      return { id: task.id, error: error instanceof Error ? error.message : String(error) }
    }
  }
  const launch = (task: (typeof tasks)[number]) => (pool ? pool.run(task) : runInline(task))

  try {
    // keep a bounded window of tasks in flight; consume outcomes strictly in task order
    const window = Math.max(2, workers * 2)
    const inflight = new Map<number, Promise<TaskOutcome>>()
    let next = 0
    for (let i = 0; i < tasks.length; i++) {
      while (next < tasks.length && next < i + window) {
        inflight.set(next, launch(tasks[next]!))
        next++
      }
      const task = tasks[i]!
      const outcome = await inflight.get(i)!
      inflight.delete(i)
      done++
      if (outcome.error || !outcome.result) {
        failedRuns.push({
          variant: task.variant,
          run: task.run,
          seed: task.seed,
          message: outcome.error ?? 'no result',
        })
        state[task.variant]!.failed++
      } else {
        const result = outcome.result
        nodeEpochs += result.nodeEpochs
        consume(state[task.variant]!, result)
        if (writers)
          await writeRun(writers, result, Object.keys(variants[task.variant]!.scenario.tiers))
        if (emit) yield* epochRecords(result)
      }
      const elapsedMs = performance.now() - t0
      options.onProgress?.({
        done,
        total,
        failed: failedRuns.length,
        elapsedMs,
        etaMs: (elapsedMs / done) * (total - done),
      })
    }
    const elapsedMs = performance.now() - t0
    const result: SimulationSummary = {
      scenario: parsed.scenario.name,
      description: parsed.scenario.description,
      horizonMonths: parsed.scenario.horizonMonths,
      epochDays: parsed.scenario.epochDays,
      seed,
      runsPerVariant: runs,
      variants: state.map(finishVariant),
      failedRuns,
      nodeEpochs,
      elapsedMs,
      nodeEpochsPerSecond: nodeEpochs / (elapsedMs / 1000),
    }
    if (writers) {
      await closeWriters(writers)
      writeFileSync(join(options.out!, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`)
      writeFileSync(
        join(options.out!, 'report.html'),
        renderReport(result, claimsMeta(parsed.scenario.claims)),
      )
    }
    resolveSummary(result)
  } catch (error) {
    rejectSummary(error)
    throw error
  } finally {
    await pool?.close()
  }
}

function* epochRecords(result: RunResult): Generator<EpochRecord> {
  const n = result.epochs.revenue!.length
  for (let e = 0; e < n; e++) {
    const month = result.monthOf[e]! + 1
    const record = {
      variant: result.variant,
      run: result.run,
      seed: result.seed,
      epoch: e,
      month,
    } as EpochRecord
    for (const c of EPOCH_COLUMNS) record[c] = result.epochs[c]![e]!
    yield record
  }
}

type VariantState = {
  index: number
  parameters: Record<string, number | string | boolean>
  tiers: string[]
  claims: Claim[]
  runs: number
  failed: number
  months: Map<string, SeriesQuantiles>
  payback: Map<string, (number | null)[]>
  outcomes: { holds: boolean; margin: number }[][]
  sampled: Record<string, number>[]
}

function newVariantState(
  index: number,
  parameters: VariantState['parameters'],
  tiers: string[],
  horizon: number,
  claims: Claim[],
): VariantState {
  const months = new Map<string, SeriesQuantiles>()
  for (const c of MONTH_COLUMNS) months.set(c, new SeriesQuantiles(horizon))
  for (const t of tiers)
    for (const c of TIER_MONTH_COLUMNS) months.set(`${c}.${t}`, new SeriesQuantiles(horizon))
  return {
    index,
    parameters,
    tiers,
    claims,
    runs: 0,
    failed: 0,
    months,
    payback: new Map(tiers.map((t) => [t, []])),
    outcomes: claims.map(() => []),
    sampled: [],
  }
}

function consume(state: VariantState, result: RunResult) {
  state.runs++
  for (const [column, q] of state.months) q.add(result.months[column]!)
  for (const t of state.tiers) state.payback.get(t)!.push(result.paybackMonth[t] ?? null)
  state.claims.forEach((claim, i) => {
    const { holds, margin } = evaluateClaim(claim, result)
    state.outcomes[i]!.push({ holds, margin })
  })
  state.sampled.push(result.sampled)
}

const MIN_RUNS_FOR_SENSITIVITY = 10

function finishVariant(state: VariantState): VariantSummary {
  const months: Record<string, Quantiles> = {}
  for (const [column, q] of state.months) months[column] = q.toJSON()
  const payback: VariantSummary['payback'] = {}
  for (const [tier, values] of state.payback) {
    const reached = values.filter((v): v is number => v !== null).sort((a, b) => a - b)
    payback[tier] = {
      p50:
        reached.length * 2 > values.length
          ? (reached[Math.floor(values.length / 2)] ?? null)
          : null,
      withinHorizon: values.length ? reached.length / values.length : 0,
    }
  }
  const parameters = [...new Set(state.sampled.flatMap((s) => Object.keys(s)))].sort()
  const claims = state.claims.map((claim, i) => {
    const outcomes = state.outcomes[i]!
    const margins = outcomes.map((o) => o.margin)
    // rank correlations from a handful of runs are noise: report them from 10 runs up
    const sensitivity = (margins.length < MIN_RUNS_FOR_SENSITIVITY ? [] : parameters)
      .map((parameter) => ({
        parameter,
        correlation: spearman(
          state.sampled.map((s) => s[parameter] ?? 0),
          margins,
        ),
      }))
      .filter((s) => s.correlation !== 0)
      .sort((a, b) => Math.abs(b.correlation) - Math.abs(a.correlation))
      .slice(0, 5)
    return {
      id: claim.id,
      description: claim.description,
      probability: outcomes.length ? outcomes.filter((o) => o.holds).length / outcomes.length : 0,
      runs: outcomes.length,
      breakEvenMonth: claim.tier ? (payback[claim.tier]?.p50 ?? null) : null,
      sensitivity,
    }
  })
  return {
    index: state.index,
    parameters: state.parameters,
    runs: state.runs,
    failed: state.failed,
    tiers: state.tiers,
    months,
    payback,
    claims,
  }
}

type Writers = { epochs: WriteStream; months: WriteStream }

function openWriters(out: string, tiers: Record<string, unknown>): Writers {
  mkdirSync(out, { recursive: true })
  const epochs = createWriteStream(join(out, 'epochs.csv'))
  epochs.write(`variant,run,seed,epoch,month,${EPOCH_COLUMNS.join(',')}\n`)
  const months = createWriteStream(join(out, 'months.csv'))
  const tierColumns = Object.keys(tiers).flatMap((t) => TIER_MONTH_COLUMNS.map((c) => `${c}.${t}`))
  months.write(`variant,run,seed,month,${[...MONTH_COLUMNS, ...tierColumns].join(',')}\n`)
  return { epochs, months }
}

async function writeRun(writers: Writers, result: RunResult, tiers: string[]) {
  const prefix = `${result.variant},${result.run},${result.seed}`
  const n = result.epochs.revenue!.length
  const lines: string[] = []
  for (let e = 0; e < n; e++)
    lines.push(
      `${prefix},${e},${result.monthOf[e]! + 1},${EPOCH_COLUMNS.map((c) => result.epochs[c]![e]).join(',')}`,
    )
  await write(writers.epochs, `${lines.join('\n')}\n`)
  const columns = [
    ...MONTH_COLUMNS,
    ...tiers.flatMap((t) => TIER_MONTH_COLUMNS.map((c) => `${c}.${t}`)),
  ]
  const m = result.months.revenue!.length
  const rows: string[] = []
  for (let i = 0; i < m; i++)
    rows.push(`${prefix},${i + 1},${columns.map((c) => result.months[c]![i]).join(',')}`)
  await write(writers.months, `${rows.join('\n')}\n`)
}

function write(stream: WriteStream, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.write(chunk)) resolve()
    else {
      stream.once('drain', resolve)
      stream.once('error', reject)
    }
  })
}

function closeWriters(writers: Writers): Promise<void> {
  const end = (s: WriteStream) => new Promise<void>((resolve) => s.end(resolve))
  return Promise.all([end(writers.epochs), end(writers.months)]).then(() => undefined)
}

function claimsMeta(claims: readonly Claim[]) {
  return new Map(
    claims.map((c) => [
      c.id,
      {
        ...(c.tier ? { tier: c.tier } : {}),
        ...(c.between ? { band: c.between } : {}),
        months: c.months,
      },
    ]),
  )
}

import { availableParallelism } from 'node:os'
import { z } from 'zod'
import { SimulatorError } from './errors.js'
import { checkOutput } from './output/checkOutput.js'
import { parseArguments } from './parseArguments.js'
import { parseScenario } from './scenario/parseScenario.js'
import type { ScenarioInput } from './scenario/schema.js'
import { type DrivePlan, drive } from './simulation/drive.js'
import { simulateOptionsSchema } from './simulation/optionsSchema.js'
import type { EpochRecord, SimulateOptions, Simulation, SimulationSummary } from './types.js'

const scenarioArgument = z.union([z.string(), z.record(z.string(), z.unknown())])

/**
 * Runs a scenario's Monte Carlo runs (per sweep variant), in worker threads, in a reproducible way:
 * each run has its own generator seeded from the master seed, the variant and the run index, and
 * results are consumed in run order, so the same seed gives the same output on any machine and
 * any number of workers. Results stream: to the iterator, to CSV files under `out`, and into
 * online quantiles and claim tallies — no run is kept after it is consumed.
 *
 * The scenario (with every variant and its engine config), the options and the output folder are
 * all checked before any run starts and before anything is created.
 *
 * @param scenario - a scenario object, or its YAML / JSON text.
 * @param options - `{ runs?, seed?, workers?, out?, inputs?, onProgress?, source? }`.
 * @returns an async iterable of epoch records with a `summary` promise.
 * @throws {SimulatorError} synchronously: `SIM_INVALID_SCENARIO` (every problem by path),
 * `SIM_INVALID_ARGUMENT`, `SIM_OUTPUT_NOT_WRITABLE`, `SIM_OUTPUT_OVERWRITES_INPUT`. The summary
 * rejects with `SIM_OUTPUT_NOT_WRITABLE` when writing fails, and iterating twice throws
 * `SIM_ALREADY_CONSUMED`.
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
  const plan = checkPlan(scenario, options) // throws before anything starts
  let started: AsyncGenerator<EpochRecord, SimulationSummary> | undefined
  let settle!: { resolve: (s: SimulationSummary) => void; reject: (e: unknown) => void }
  const summary = new Promise<SimulationSummary>((resolve, reject) => {
    settle = { resolve, reject }
  })
  summary.catch(() => {}) // a caller that only iterates sees the error there
  const start = (emit: boolean): AsyncGenerator<EpochRecord> => {
    if (started)
      throw new SimulatorError('SIM_ALREADY_CONSUMED', 'A simulation can be consumed once.')
    started = drive({ ...plan, emit })
    return reporting(started, settle)
  }
  return {
    [Symbol.asyncIterator]: () => start(true),
    get summary() {
      if (!started) {
        const records = start(false)
        void (async () => {
          try {
            for await (const _ of records);
          } catch {
            // reported through the summary promise
          }
        })()
      }
      return summary
    },
  }
}

function checkPlan(scenario: unknown, options: SimulateOptions): Omit<DrivePlan, 'emit'> {
  const o = parseArguments(simulateOptionsSchema, options, 'simulate options')
  parseArguments(scenarioArgument, scenario, 'scenario')
  const source = o.source ?? 'scenario'
  const parsed = parseScenario(scenario, source)
  const out = o.out === undefined ? undefined : checkOutput(o.out, o.inputs)
  return {
    raw: scenario,
    parsed,
    source,
    runs: o.runs ?? parsed.scenario.runs,
    seed: o.seed ?? parsed.scenario.seed,
    workers: o.workers ?? availableParallelism(),
    out,
    onProgress: options.onProgress,
  }
}

/** Passes records through and settles the summary with the generator's result or error. */
async function* reporting(
  records: AsyncGenerator<EpochRecord, SimulationSummary>,
  settle: { resolve: (s: SimulationSummary) => void; reject: (e: unknown) => void },
): AsyncGenerator<EpochRecord> {
  try {
    for (;;) {
      const next = await records.next()
      if (next.done) {
        settle.resolve(next.value)
        return
      }
      yield next.value
    }
  } catch (error) {
    settle.reject(error)
    throw error
  } finally {
    await records.return(undefined as never)
    // the consumer stopped early: the summary would otherwise never settle
    settle.reject(
      new SimulatorError(
        'SIM_STOPPED_EARLY',
        'The simulation was stopped before it finished; there is no summary.',
      ),
    )
  }
}

import { openOutput } from '../output/openOutput.js'
import { renderReport } from '../report/renderReport.js'
import type { ParsedScenario } from '../scenario/parseScenario.js'
import { usesNodes } from '../scenario/usesNodes.js'
import type { EpochRecord, SimulationProgress, SimulationSummary } from '../types.js'
import { claimsMeta } from './claimsMeta.js'
import { createLauncher } from './createLauncher.js'
import { epochRecords } from './epochRecords.js'
import { finishVariant } from './finishVariant.js'
import { inOrder } from './inOrder.js'
import { planTasks } from './planTasks.js'
import { consumeRun, newVariantState } from './variantState.js'

/** A checked simulation: the parsed scenario and the options resolved against it. */
export type DrivePlan = {
  raw: unknown
  parsed: ParsedScenario
  source: string
  runs: number
  seed: number
  workers: number
  /** The output folder, checked by `checkOutput`; none when omitted. */
  out?: string | undefined
  onProgress?: ((progress: SimulationProgress) => void) | undefined
  /** Whether to yield epoch records (false when only the summary is wanted). */
  emit: boolean
}

/**
 * Runs a checked plan: launches the runs, consumes their results in run order into each
 * variant's tally and the output files, yields epoch records, and returns the summary. On a
 * failure, or when the consumer stops early, the temporary output files are removed.
 */
export async function* drive(plan: DrivePlan): AsyncGenerator<EpochRecord, SimulationSummary> {
  const t0 = performance.now()
  const { parsed, runs, seed } = plan
  const tasks = planTasks(parsed.variants.length, runs, seed)
  const workers = Math.min(plan.workers, tasks.length)
  const state = parsed.variants.map((v) =>
    newVariantState(
      v.index,
      v.parameters,
      Object.keys(v.scenario.tiers),
      v.scenario.horizonMonths,
      v.scenario.claims,
      usesNodes(v.scenario),
    ),
  )
  const output = plan.out
    ? openOutput(
        plan.out,
        Object.keys(parsed.variants[0]!.scenario.tiers),
        usesNodes(parsed.variants[0]!.scenario),
      )
    : undefined
  const launcher = createLauncher(workers, { ...plan, variants: parsed.variants })
  const failedRuns: SimulationSummary['failedRuns'] = []
  let nodeEpochs = 0
  let done = 0
  let finished = false
  try {
    for await (const { task, outcome } of inOrder(
      tasks,
      launcher.launch,
      Math.max(2, workers * 2),
    )) {
      done++
      if (outcome.error !== undefined || !outcome.result) {
        const message = outcome.error ?? 'no result'
        failedRuns.push({ variant: task.variant, run: task.run, seed: task.seed, message })
        state[task.variant]!.failed++
      } else {
        nodeEpochs += outcome.result.nodeEpochs
        consumeRun(state[task.variant]!, outcome.result)
        await output?.writeRun(outcome.result)
        if (plan.emit) yield* epochRecords(outcome.result)
      }
      const elapsedMs = performance.now() - t0
      const etaMs = (elapsedMs / done) * (tasks.length - done)
      plan.onProgress?.({ done, total: tasks.length, failed: failedRuns.length, elapsedMs, etaMs })
    }
    const elapsedMs = performance.now() - t0
    const summary: SimulationSummary = {
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
    await output?.finish(summary, renderReport(summary, claimsMeta(parsed.scenario.claims)))
    finished = true
    return summary
  } finally {
    if (!finished) output?.discard()
    await launcher.close()
  }
}

import { BaseError, type ValidationIssue } from '@btt/core'

export type ScenarioErrorType = ScenarioError & { name: 'ScenarioError' }

/** A scenario is invalid; every problem is listed by path before any run starts. */
export class ScenarioError extends BaseError {
  override name = 'ScenarioError' as const
  readonly issues: readonly ValidationIssue[]
  constructor(source: string, issues: readonly ValidationIssue[]) {
    super(
      `Invalid scenario ${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'}.`,
      {
        metaMessages: issues.map((i) => `✖ ${i.message}\n  → at ${i.path}`),
      },
    )
    this.issues = issues
  }
}

export type RunFailedErrorType = RunFailedError & { name: 'RunFailedError' }

/** One Monte Carlo run threw; the others carry on. */
export class RunFailedError extends BaseError {
  override name = 'RunFailedError' as const
  readonly run: number
  readonly variant: number
  readonly seed: number
  constructor(parameters: { run: number; variant: number; seed: number; message: string }) {
    super(
      `Run ${parameters.run} of variant ${parameters.variant} (seed ${parameters.seed}) failed: ${parameters.message}`,
    )
    this.run = parameters.run
    this.variant = parameters.variant
    this.seed = parameters.seed
  }
}

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

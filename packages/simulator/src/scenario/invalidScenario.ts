import { SimulatorError } from '../errors.js'

/** One problem with a scenario, by dotted path. */
export type ScenarioIssue = { path: string; message: string }

/**
 * The error for an invalid scenario (`SIM_INVALID_SCENARIO`): every issue kept as
 * `details.issues` and printed one per line under the message.
 *
 * @param source - the scenario's name in messages (e.g. its file path).
 * @param issues - every problem, by dotted path.
 */
export function invalidScenario(source: string, issues: readonly ScenarioIssue[]): SimulatorError {
  return new SimulatorError(
    'SIM_INVALID_SCENARIO',
    `Invalid scenario ${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'}.`,
    {
      details: { source, issues: issues.map((i) => ({ path: i.path, message: i.message })) },
      metaMessages: issues.map((i) => `✖ ${i.message}\n  → at ${i.path}`),
    },
  )
}

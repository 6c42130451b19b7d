import { BttError, defineErrorCodes, type ErrorCodeTable } from '@btt/core'

/**
 * @btt/simulator's closed table of error codes. Codes are stable: a code is never reused for
 * another meaning. `details` carries the structured facts (the scenario's source, the issues by
 * path, the output folder…).
 */
export const simulatorErrorCodes = defineErrorCodes({
  SIM_INVALID_SCENARIO: {
    kind: 'invalid_input',
    description:
      'A scenario (or one of its sweep variants, or its engine config) is invalid; every problem is listed by path in `details.issues`.',
  },
  SIM_UNREADABLE_SCENARIO: {
    kind: 'io',
    description: 'A scenario file (or a file it extends) could not be read.',
  },
  SIM_INVALID_ARGUMENT: {
    kind: 'invalid_input',
    description:
      'An option or argument (runs, seed, workers, out, a run index…) is outside the bounds the scenario schema gives it; every problem in `details.issues`.',
  },
  SIM_ALREADY_CONSUMED: {
    kind: 'conflict',
    description: 'A simulation was iterated a second time; each simulation runs once.',
  },
  SIM_STOPPED_EARLY: {
    kind: 'conflict',
    description:
      'The iteration of a simulation stopped before the last run, so it has no summary (temporary output files are removed).',
  },
  SIM_UNKNOWN_SERIES: {
    kind: 'invalid_input',
    description: 'A claim names a monthly series that a run does not have.',
  },
  SIM_WORKER_FAILED: {
    kind: 'internal',
    description:
      'Worker threads keep failing to start (each died before it was ready), so no run can be done.',
  },
  SIM_OUTPUT_NOT_WRITABLE: {
    kind: 'io',
    description:
      'The output folder exists as a file, lies under a file, or cannot be created or written.',
  },
  SIM_OUTPUT_OVERWRITES_INPUT: {
    kind: 'invalid_input',
    description: 'An output file would overwrite a scenario file the run reads.',
  },
})

export type SimulatorErrorCode = keyof typeof simulatorErrorCodes

/** The error @btt/simulator throws; `code` is one of {@link simulatorErrorCodes}. */
export class SimulatorError extends BttError<SimulatorErrorCode> {
  static override codes: ErrorCodeTable = simulatorErrorCodes
  override name = 'SimulatorError'
}

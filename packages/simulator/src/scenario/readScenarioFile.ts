import { loadScenarioFile } from './loadScenarioFile.js'

/**
 * Reads a scenario file (YAML or JSON). A file may start from another with `extends:` — a preset
 * name (`seed-model`) or a path relative to it; objects merge field by field, arrays and scalars
 * replace. Returns the merged raw scenario for {@link parseScenario}; {@link loadScenarioFile}
 * also says which files were read.
 *
 * @param path - the scenario file, or a preset name.
 * @returns the merged raw scenario.
 * @throws {SimulatorError} `SIM_UNREADABLE_SCENARIO` when a file cannot be read;
 * `SIM_INVALID_SCENARIO` when one cannot be parsed or `extends` loops.
 * @example
 * ```ts
 * import { readScenarioFile, simulate } from '@btt/simulator'
 * const summary = await simulate(readScenarioFile('seed-model'), { runs: 2 }).summary
 * ```
 */
export function readScenarioFile(path: string): Record<string, unknown> {
  return loadScenarioFile(path).scenario
}

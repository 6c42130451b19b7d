import { defineConfig, type EngineConfig } from '@btt/core'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { parseArguments } from '../parseArguments.js'
import { engineConfigIssues } from './engineConfigIssues.js'
import { invalidScenario, type ScenarioIssue } from './invalidScenario.js'
import { populationIssues } from './populationIssues.js'
import { type Scenario, scenarioSchema } from './schema.js'

export type Variant = {
  index: number
  /** The sweep values of this variant, by dotted path (empty without a sweep). */
  parameters: Record<string, number | string | boolean>
  scenario: Scenario
  engine: EngineConfig
}

export type ParsedScenario = {
  scenario: Scenario
  variants: Variant[]
}

/**
 * Validates a scenario (an object, or JSON / YAML text) and expands its sweep into variants.
 * Every variant is validated too, including its @btt/core engine config, before anything runs;
 * every problem is reported by path.
 *
 * @param input - the scenario object, or its JSON/YAML text.
 * @param source - a name for messages (e.g. the file path).
 * @returns the scenario and its variants.
 * @throws {SimulatorError} `SIM_INVALID_SCENARIO`, listing every problem by path (`details.issues`).
 */
export function parseScenario(input: unknown, source = 'scenario'): ParsedScenario {
  parseArguments(z.string(), source, 'scenario source')
  let raw = input
  if (typeof input === 'string') {
    try {
      raw = parseYaml(input) // YAML is a superset of JSON
    } catch (error) {
      throw invalidScenario(source, [{ path: '(file)', message: (error as Error).message }])
    }
  }
  const scenario = validate(raw, source)
  const combos = expandSweep(scenario, source)
  const issues: ScenarioIssue[] = []
  const variants: Variant[] = []
  combos.forEach((parameters, index) => {
    const variantRaw = structuredClone(raw) as Record<string, unknown>
    for (const [path, value] of Object.entries(parameters)) setPath(variantRaw, path, value)
    delete variantRaw.sweep
    const result = scenarioSchema.safeParse(variantRaw)
    if (!result.success) {
      for (const issue of toIssues(result.error.issues))
        issues.push({
          path: issue.path,
          message: `${issue.message} (sweep variant ${index}: ${JSON.stringify(parameters)})`,
        })
      return
    }
    try {
      variants.push({
        index,
        parameters,
        scenario: result.data,
        engine: defineConfig(result.data.engine),
      })
    } catch (error) {
      for (const issue of engineConfigIssues(error))
        issues.push({
          path: `engine.${issue.path}`,
          message: `${issue.message} (sweep variant ${index})`,
        })
    }
  })
  if (issues.length) throw invalidScenario(source, issues)
  return { scenario, variants }
}

function validate(raw: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(raw)
  const issues = result.success ? [] : toIssues(result.error.issues)
  if (result.success) {
    try {
      defineConfig(result.data.engine)
    } catch (error) {
      issues.push(
        ...engineConfigIssues(error).map((i) => ({ path: `engine.${i.path}`, message: i.message })),
      )
    }
    issues.push(...populationIssues(result.data))
    const tiers = Object.keys(result.data.tiers)
    result.data.claims.forEach((claim, i) => {
      if (claim.tier && !tiers.includes(claim.tier))
        issues.push({
          path: `claims.${i}.tier`,
          message: `unknown tier "${claim.tier}" (tiers: ${tiers.join(', ')})`,
        })
      if (claim.months[1] > result.data.horizonMonths)
        issues.push({
          path: `claims.${i}.months`,
          message: `ends after the horizon (${result.data.horizonMonths} months)`,
        })
    })
  }
  if (issues.length || !result.success) throw invalidScenario(source, issues)
  return result.data
}

function toIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): ScenarioIssue[] {
  return issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : '(root)',
    message: i.message,
  }))
}

/** The most variants a sweep may expand to: a cartesian product grows fast. */
export const MAX_VARIANTS = 10_000

/**
 * Sweep combinations: `cartesian` crosses every list, `zip` pairs them by position.
 *
 * @param scenario - `{ sweep? }` as the scenario schema gives it.
 * @param source - a name for messages.
 * @returns one record of values by dotted path per variant (`[{}]` without a sweep).
 * @throws {SimulatorError} `SIM_INVALID_SCENARIO` for zip lists of unequal length or more than
 * `MAX_VARIANTS` (10,000) variants; `SIM_INVALID_ARGUMENT` for a malformed sweep.
 */
export function expandSweep(
  scenario: Pick<Scenario, 'sweep'>,
  source = 'scenario',
): Record<string, number | string | boolean>[] {
  parseArguments(z.string(), source, 'scenario source')
  const { sweep } = parseArguments(
    z.looseObject({ sweep: scenarioSchema.shape.sweep }),
    scenario,
    'sweep',
  )
  if (!sweep) return [{}]
  const entries = Object.entries(sweep.parameters)
  const count =
    sweep.mode === 'zip' ? entries[0]![1].length : entries.reduce((n, [, v]) => n * v.length, 1)
  if (count > MAX_VARIANTS)
    throw invalidScenario(source, [
      { path: 'sweep.parameters', message: `${count} variants; at most ${MAX_VARIANTS}` },
    ])
  if (sweep.mode === 'zip') {
    const length = entries[0]![1].length
    const bad = entries.filter(([, values]) => values.length !== length)
    if (bad.length)
      throw invalidScenario(
        source,
        bad.map(([path, values]) => ({
          path: `sweep.parameters.${path}`,
          message: `zip needs lists of equal length: ${values.length} here, ${length} for ${entries[0]![0]}`,
        })),
      )
    return Array.from({ length }, (_, i) => Object.fromEntries(entries.map(([p, v]) => [p, v[i]!])))
  }
  let combos: Record<string, number | string | boolean>[] = [{}]
  for (const [path, values] of entries)
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [path]: value })))
  return combos
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.')
  let node: Record<string, unknown> = target
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  node[keys.at(-1)!] = value
}

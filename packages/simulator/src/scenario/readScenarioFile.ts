import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ScenarioError } from '../errors.js'
import { presetPath, presets } from '../presets.js'

/**
 * Reads a scenario file (YAML or JSON). A file may start from another with `extends:` — a preset
 * name (`seed-model`) or a path relative to it; objects merge field by field, arrays and scalars
 * replace. Returns the merged raw scenario for {@link parseScenario}.
 *
 * @param path - the scenario file, or a preset name.
 * @throws {ScenarioError} when a file cannot be read or parsed, or `extends` loops.
 */
export function readScenarioFile(path: string, seen: string[] = []): Record<string, unknown> {
  const file = (presets as readonly string[]).includes(path)
    ? presetPath(path as (typeof presets)[number])
    : resolve(path)
  if (seen.includes(file))
    throw new ScenarioError(path, [
      { path: 'extends', message: `extends loops: ${[...seen, file].join(' → ')}` },
    ])
  let raw: unknown
  try {
    raw = parseYaml(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ScenarioError(path, [{ path: '(file)', message: (error as Error).message }])
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ScenarioError(path, [{ path: '(root)', message: 'a scenario must be a mapping' }])
  const { extends: base, ...rest } = raw as Record<string, unknown>
  if (base === undefined) return rest
  if (typeof base !== 'string')
    throw new ScenarioError(path, [{ path: 'extends', message: 'must be a preset name or a path' }])
  const parent = (presets as readonly string[]).includes(base) ? base : resolve(dirname(file), base)
  return merge(readScenarioFile(parent, [...seen, file]), rest) as Record<string, unknown>
}

function merge(base: unknown, over: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
  if (!isObj(base) || !isObj(over)) return over
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v)
  return out
}

import { readFileSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { SimulatorError } from '../errors.js'
import { parseArguments } from '../parseArguments.js'
import { presetPath, presets } from '../presets.js'
import { invalidScenario } from './invalidScenario.js'

export type LoadScenarioFileReturnType = {
  /** The merged raw scenario, for {@link parseScenario}. */
  scenario: Record<string, unknown>
  /** Absolute paths of every file read: the scenario, then what it extends, in order. */
  files: string[]
}

/**
 * Reads a scenario file (YAML or JSON) and the files it extends, and says which files it read
 * (the inputs an output must never overwrite). A file may start from another with `extends:` — a
 * preset name (`seed-model`) or a path relative to it; objects merge field by field, arrays and
 * scalars replace.
 *
 * @param path - the scenario file, or a preset name.
 * @returns the merged raw scenario and the files read.
 * @throws {SimulatorError} `SIM_UNREADABLE_SCENARIO` when a file cannot be read;
 * `SIM_INVALID_SCENARIO` when one is not YAML, not a mapping, or `extends` loops.
 */
export function loadScenarioFile(path: string): LoadScenarioFileReturnType {
  parseArguments(z.string().min(1), path, 'scenario path')
  const files: string[] = []
  const scenario = load(path, files)
  return { scenario, files }
}

function load(path: string, files: string[]): Record<string, unknown> {
  const file = (presets as readonly string[]).includes(path)
    ? presetPath(path as (typeof presets)[number])
    : resolve(path)
  if (files.includes(file))
    throw invalidScenario(path, [
      { path: 'extends', message: `extends loops: ${[...files, file].join(' → ')}` },
    ])
  files.push(file)
  const { extends: base, ...rest } = readMapping(path, file)
  if (base === undefined) return rest
  if (typeof base !== 'string')
    throw invalidScenario(path, [{ path: 'extends', message: 'must be a preset name or a path' }])
  const parent = (presets as readonly string[]).includes(base) ? base : resolve(dirname(file), base)
  return merge(load(parent, files), rest) as Record<string, unknown>
}

function readMapping(path: string, file: string): Record<string, unknown> {
  let text: string
  try {
    // a FIFO or a device (/dev/zero) would block or never end: only regular files are read
    if (!statSync(file).isFile())
      throw new SimulatorError('SIM_UNREADABLE_SCENARIO', 'not a regular file', {
        details: { path: file },
      })
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new SimulatorError(
      'SIM_UNREADABLE_SCENARIO',
      `Cannot read scenario ${path}: ${(error as Error).message}`,
      { cause: error, details: { path: file, ...(code ? { errno: code } : {}) } },
    )
  }
  let raw: unknown
  try {
    raw = parseYaml(text)
  } catch (error) {
    throw invalidScenario(path, [{ path: '(file)', message: (error as Error).message }])
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw invalidScenario(path, [{ path: '(root)', message: 'a scenario must be a mapping' }])
  return raw as Record<string, unknown>
}

function merge(base: unknown, over: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
  if (!isObj(base) || !isObj(over)) return over
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v)
  return out
}

import { z } from 'zod'
import { describe } from '../describe.js'
import { CoreError, parseWith } from '../errors.js'
import { configSections, type EngineConfig } from './schema.js'

/**
 * Configs that passed `parseConfig` / `defineConfig`, and each of their sections. A config (or a
 * section) found here is used as it is; anything else, such as a plain object that never went
 * through the parser, is validated on use. Membership is a WeakSet lookup, so the hot path
 * (a parsed config) costs nothing measurable.
 */
const parsed = new WeakSet<object>()

/** Records a validated, frozen config and its sections as parsed. */
export function markParsed(config: EngineConfig): EngineConfig {
  parsed.add(config)
  for (const section of Object.values(config))
    if (typeof section === 'object' && section !== null) parsed.add(section)
  return config
}

type Key = keyof EngineConfig
const pickers = new Map<string, z.ZodType>()

function pickerFor(keys: readonly Key[]): z.ZodType {
  const id = keys.join(',')
  let schema = pickers.get(id)
  if (!schema) {
    schema = z.object(Object.fromEntries(keys.map((key) => [key, configSections[key]])))
    pickers.set(id, schema)
  }
  return schema
}

/**
 * The sections `keys` of `config`, validated: a parsed config (or one whose sections all come
 * from parsed configs) passes through; anything else is checked with the sections' schemas and
 * a failure throws `CoreError('CORE_INVALID_CONFIG')` listing every problem by path.
 */
export function useConfig<K extends Key>(
  config: unknown,
  keys: readonly K[],
): Pick<EngineConfig, K> {
  if (typeof config !== 'object' || config === null)
    throw new CoreError(
      'CORE_INVALID_CONFIG',
      `The engine config must be an object, got ${describe(config)}.`,
      {
        details: { got: describe(config) },
      },
    )
  if (parsed.has(config)) return config as Pick<EngineConfig, K>
  const record = config as Record<string, unknown>
  if (keys.every((key) => isParsed(record[key]))) return config as Pick<EngineConfig, K>
  return parseWith(
    pickerFor(keys),
    config,
    'engine config',
    CoreError,
    'CORE_INVALID_CONFIG',
  ) as Pick<EngineConfig, K>
}

/** One section passed on its own (a price schedule, the dividend rules), validated the same way. */
export function useSection<K extends Key>(section: unknown, key: K): EngineConfig[K] {
  if (isParsed(section)) return section as EngineConfig[K]
  return parseWith(
    configSections[key],
    section,
    `engine config ${key}`,
    CoreError,
    'CORE_INVALID_CONFIG',
  ) as EngineConfig[K]
}

function isParsed(value: unknown): boolean {
  return typeof value === 'object' && value !== null && parsed.has(value)
}

import { describe } from '../describe.js'
import { CoreError, parseWith } from '../errors.js'
import { defaultConfigInput } from './defaults.js'
import { type EngineConfig, engineConfigSchema } from './schema.js'
import { markParsed } from './useConfig.js'

export type ParseConfigErrorType = CoreError

/**
 * Validates a complete engine config. Amounts may be bigints or decimal strings (for JSON).
 *
 * @param input - the whole config.
 * @returns the validated config, frozen.
 * @throws {CoreError} `CORE_INVALID_CONFIG`, listing every invalid field by path in `details.issues`.
 * @example
 * ```ts
 * import { parseConfig, defaultConfigInput } from '@btt/core'
 * const config = parseConfig({ ...defaultConfigInput, governance: { quorumBps: 3000, approvalBps: 5000 } })
 * ```
 */
export function parseConfig(input: unknown): EngineConfig {
  const config = parseWith(
    engineConfigSchema,
    input,
    'engine config',
    CoreError,
    'CORE_INVALID_CONFIG',
  )
  return markParsed(deepFreeze(config))
}

/** The model's defaults, validated. */
export const defaultConfig: EngineConfig = parseConfig(defaultConfigInput)

/** A partial config: objects merge field by field into the defaults, arrays replace. */
export type ConfigOverrides = { [key: string]: unknown }

/**
 * Builds a config from the model's defaults and the caller's overrides, and validates it.
 * Objects merge field by field; arrays (the allocation table, fee tiers, staking tiers)
 * replace the default array whole.
 *
 * @param overrides - the fields to change.
 * @returns the validated config.
 * @throws {CoreError} `CORE_INVALID_CONFIG` naming each invalid field; `CORE_INVALID_ARGUMENT`
 * when `overrides` is not an object.
 * @example
 * ```ts
 * import { defineConfig } from '@btt/core'
 * const config = defineConfig({ emission: { curve: 'decay' } })
 * ```
 */
export function defineConfig(overrides: ConfigOverrides = {}): EngineConfig {
  if (!isPlainObject(overrides))
    throw new CoreError('CORE_INVALID_ARGUMENT', 'Config overrides must be an object.', {
      details: { got: describe(overrides) },
    })
  return parseConfig(merge(defaultConfigInput, overrides))
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function merge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base
  if (!isPlainObject(base) || !isPlainObject(override)) return override
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(override)) out[key] = merge(base[key], value)
  return out
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}

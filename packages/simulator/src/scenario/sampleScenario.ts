import type { Rng } from '../random/createRng.js'
import type { Scenario } from './schema.js'

/** A scenario with every distribution replaced by one sampled number. */
export type SampledScenario = DeepSample<Scenario>

type DeepSample<T> = T extends
  | { uniform: [number, number] }
  | { normal: [number, number]; bounds: [number, number] }
  ? number
  : T extends (infer U)[]
    ? DeepSample<U>[]
    : T extends object
      ? { [K in keyof T]: K extends 'nodes' ? T[K] : DeepSample<T[K]> }
      : T

/**
 * Samples every distribution in a scenario once, in a fixed order (sorted paths), and returns the
 * sampled scenario with the values drawn by path — the inputs of the sensitivity analysis.
 * Normal samples are clamped to the bounds the schema gives the parameter (`bounds`, see `param`).
 */
export function sampleScenario(
  scenario: Scenario,
  rng: Rng,
): { scenario: SampledScenario; sampled: Record<string, number> } {
  const sampled: Record<string, number> = {}
  const visit = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => visit(v, `${path}.${i}`))
    if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>
      if (isUniform(v)) {
        const [lo, hi] = v.uniform
        sampled[path] = lo + (hi - lo) * rng.next()
        return sampled[path]
      }
      if (isNormal(v)) {
        const [mean, sd] = v.normal
        const [lo, hi] = v.bounds
        sampled[path] = Math.max(lo, Math.min(hi, mean + sd * rng.normal()))
        return sampled[path]
      }
      const out: Record<string, unknown> = {}
      // per-node distributions are drawn per node by the per-node engine, not per run
      for (const key of Object.keys(v).sort())
        out[key] =
          key === 'nodes' && /^tiers\.[^.]+$/.test(path)
            ? v[key]
            : visit(v[key], path ? `${path}.${key}` : key)
      return out
    }
    return value
  }
  return { scenario: visit(scenario, '') as SampledScenario, sampled }
}

function isUniform(v: Record<string, unknown>): v is { uniform: [number, number] } {
  return Array.isArray(v.uniform) && Object.keys(v).length === 1
}
function isNormal(
  v: Record<string, unknown>,
): v is { normal: [number, number]; bounds: [number, number] } {
  return Array.isArray(v.normal) && Array.isArray(v.bounds)
}

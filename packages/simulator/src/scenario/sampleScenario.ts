import type { Rng } from '../random/createRng.js'
import type { Scenario } from './schema.js'

/** A scenario with every distribution replaced by one sampled number. */
export type SampledScenario = DeepSample<Scenario>

type DeepSample<T> = T extends { uniform: [number, number] } | { normal: [number, number] }
  ? number
  : T extends (infer U)[]
    ? DeepSample<U>[]
    : T extends object
      ? { [K in keyof T]: DeepSample<T[K]> }
      : T

/**
 * Samples every distribution in a scenario once, in a fixed order (sorted paths), and returns the
 * sampled scenario with the values drawn by path — the inputs of the sensitivity analysis.
 * Normal samples are clamped to the parameter's natural range (probabilities to 0..1, amounts to 0+).
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
        sampled[path] = Math.max(
          boundsOf(path)[0],
          Math.min(boundsOf(path)[1], mean + sd * rng.normal()),
        )
        return sampled[path]
      }
      const out: Record<string, unknown> = {}
      for (const key of Object.keys(v).sort())
        out[key] = visit(v[key], path ? `${path}.${key}` : key)
      return out
    }
    return value
  }
  return { scenario: visit(scenario, '') as SampledScenario, sampled }
}

function isUniform(v: Record<string, unknown>): v is { uniform: [number, number] } {
  return Array.isArray(v.uniform) && Object.keys(v).length === 1
}
function isNormal(v: Record<string, unknown>): v is { normal: [number, number] } {
  return Array.isArray(v.normal) && Object.keys(v).length === 1
}

/** Natural bounds of a parameter, from its name (probabilities and non-negative quantities). */
function boundsOf(path: string): [number, number] {
  if (/(uptime|uptimeJitter|churnPerMonth|ShareOf|share)$/.test(path)) return [0, 1]
  if (/(annualDrift|monthlyGrowth)$/.test(path)) return [-1, Number.POSITIVE_INFINITY]
  return [0, Number.POSITIVE_INFINITY]
}

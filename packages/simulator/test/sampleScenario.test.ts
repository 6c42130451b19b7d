import { describe, expect, test } from 'vitest'
import { createRng } from '../src/random/createRng.js'
import { sampleScenario } from '../src/scenario/sampleScenario.js'
import { scenarioSchema } from '../src/scenario/schema.js'
import { handScenario } from './fixtures.js'

describe('sampling distributions', () => {
  test('normal samples are clamped to the bounds the schema gives the parameter, and only those', () => {
    const scenario = scenarioSchema.parse({
      ...handScenario,
      tiers: { solo: { ...handScenario.tiers.solo, uptime: { normal: [0.5, 10] } } }, // schema: 0..1
      demand: { ...handScenario.demand, monthlyGrowth: { normal: [0, 10] } }, // schema: ≥ −1
      token: {
        model: 'gbm',
        initialPrice: 1,
        annualDrift: { normal: [0, 10] },
        annualVolatility: 0.5,
      }, // unbounded
    })
    const rng = createRng(3)
    const uptime: number[] = []
    const growth: number[] = []
    const drift: number[] = []
    for (let i = 0; i < 400; i++) {
      const { sampled } = sampleScenario(scenario, rng)
      uptime.push(sampled['tiers.solo.uptime']!)
      growth.push(sampled['demand.monthlyGrowth']!)
      drift.push(sampled['token.annualDrift']!)
    }
    expect(Math.min(...uptime)).toBe(0)
    expect(Math.max(...uptime)).toBe(1)
    expect(Math.min(...growth)).toBe(-1)
    expect(Math.max(...growth)).toBeGreaterThan(5)
    expect(Math.min(...drift)).toBeLessThan(-5) // no bound: never clamped
  })
})

import { describe, expect, test } from 'vitest'
import { handScenario } from '../../test/fixtures.js'
import { createRng } from '../random/createRng.js'
import { sampleScenario } from '../scenario/sampleScenario.js'
import { scenarioSchema } from '../scenario/schema.js'
import { buildCohorts } from './buildCohorts.js'

const tier = (regions: Record<string, number>, initialNodes: number) => {
  const s = scenarioSchema.parse({
    ...handScenario,
    tiers: {
      solo: {
        ...handScenario.tiers.solo,
        gpusPerNode: 2,
        powerWattsPerGpu: 300,
        electricityPricePerKwh: 0.5,
        regions,
        initialNodes,
      },
    },
  })
  return sampleScenario(s, createRng(1)).scenario.tiers.solo!
}

describe('buildCohorts', () => {
  test('one cohort per region with weight, initial nodes spread exactly, power cost per epoch', () => {
    const cohorts = buildCohorts([tier({ a: 1, b: 3, c: 0 }, 10)], ['solo'], 86_400)
    expect(cohorts.map((c) => c.node.id)).toEqual(['solo/a', 'solo/b']) // c has no weight
    expect(cohorts.reduce((s, c) => s + c.node.count, 0)).toBe(10)
    expect(cohorts[1]!.node.count).toBeGreaterThan(cohorts[0]!.node.count)
    // 2 GPUs × 300 W = 0.6 kW × 24 h × 0.5 CNY/kWh
    expect(cohorts[0]!.powerCost).toBeCloseTo(7.2, 12)
    expect(cohorts[0]!.node.gpuUnits).toBe(200)
  })

  test('no initial nodes: cohorts exist, empty', () => {
    const cohorts = buildCohorts([tier({ a: 1 }, 0)], ['solo'], 86_400)
    expect(cohorts).toHaveLength(1)
    expect(cohorts[0]!.node.count).toBe(0)
  })
})

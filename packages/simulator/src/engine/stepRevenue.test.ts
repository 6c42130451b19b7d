import { MONTH } from '@btt/core'
import { describe, expect, test } from 'vitest'
import { cohort, engine } from '../../test/engineFixtures.js'
import type { SampledScenario } from '../scenario/sampleScenario.js'
import { stepRevenue } from './stepRevenue.js'

const demand = (d: Partial<SampledScenario['demand']> = {}) =>
  ({
    initialMonthlyVolume: 30_436_875,
    monthlyGrowth: 0,
    noise: 0,
    ...d,
  }) as SampledScenario['demand']
const day = { at: 0, seconds: 86_400, shock: 1 }

describe('stepRevenue', () => {
  test('a day of 30,436,875 CNY a month is 1,000,000 CNY; 70% goes to contributors, shared by compute', () => {
    const paid = new Float64Array(2)
    const cohorts = [cohort(1), cohort(3, { region: 'cn-west' })]
    const r = stepRevenue(demand(), day, cohorts, engine, paid)
    expect(r).toEqual({ volume: 30_436_875, revenue: 1_000_000, contributorRevenue: 700_000 })
    expect(paid[0]! + paid[1]!).toBeCloseTo(700_000, 6)
    expect(paid[1]).toBeCloseTo(3 * paid[0]!, 6)
  })

  test('growth compounds by month, the shock scales, the cap holds', () => {
    const paid = new Float64Array(1)
    const grown = stepRevenue(
      demand({ monthlyGrowth: 0.1 }),
      { ...day, at: 2 * MONTH, shock: 2 },
      [cohort(1)],
      engine,
      paid,
    )
    expect(grown.volume).toBeCloseTo(30_436_875 * 1.21 * 2, 4)
    const capped = stepRevenue(demand({ maxMonthlyVolume: 1000 }), day, [cohort(1)], engine, paid)
    expect(capped.volume).toBe(1000)
  })

  test('no nodes: nobody is paid', () => {
    const paid = new Float64Array([5])
    stepRevenue(demand(), day, [cohort(0)], engine, paid)
    expect([...paid]).toEqual([0])
  })
})

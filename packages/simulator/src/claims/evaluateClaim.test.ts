import { describe, expect, test } from 'vitest'
import { scenarioSchema } from '../scenario/schema.js'
import { evaluateClaim, spearman } from './evaluateClaim.js'

const claim = (c: Record<string, unknown>) =>
  scenarioSchema.shape.claims.parse([
    { id: 'c', metric: 'monthlyVolume', months: [1, 3], ...c },
  ])[0]!
const run = { months: { monthlyVolume: Float64Array.from([10, 20, 30, 40]) } }

describe('evaluateClaim', () => {
  test('every month must hold: the verdict rests on the worst month, the margin is its distance', () => {
    expect(evaluateClaim(claim({ atLeast: 15 }), run)).toEqual({
      holds: false,
      margin: -5,
      value: 10,
    })
    expect(evaluateClaim(claim({ between: [5, 35] }), run)).toEqual({
      holds: true,
      margin: 5,
      value: 10,
    })
    expect(evaluateClaim(claim({ atMost: 30 }), run)).toEqual({ holds: true, margin: 0, value: 30 })
  })

  test('mean: the mean of the months in range', () => {
    expect(evaluateClaim(claim({ atLeast: 15, aggregate: 'mean' }), run)).toEqual({
      holds: true,
      margin: 5,
      value: 20,
    })
  })

  test('a series the run lacks, or too short for the range, is SIM_UNKNOWN_SERIES', () => {
    expect(() => evaluateClaim(claim({ metric: 'emissionsToRevenue', atLeast: 0 }), run)).toThrow(
      expect.objectContaining({ code: 'SIM_UNKNOWN_SERIES' }),
    )
    expect(() => evaluateClaim(claim({ months: [1, 9], atLeast: 0 }), run)).toThrow(
      expect.objectContaining({ code: 'SIM_UNKNOWN_SERIES' }),
    )
  })
})

describe('spearman', () => {
  test('+1 and −1 for monotone relations, 0 when a side is constant, ties ranked by their mean', () => {
    expect(spearman([1, 2, 3], [10, 40, 90])).toBe(1)
    expect(spearman([1, 2, 3], [3, 2, 1])).toBe(-1)
    expect(spearman([1, 2, 3], [5, 5, 5])).toBe(0)
    expect(spearman([1, 1, 2], [1, 1, 2])).toBeCloseTo(1, 12)
  })
})

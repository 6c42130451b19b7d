import { describe, expect, test } from 'vitest'
import { handScenario } from '../../test/fixtures.js'
import { scenarioSchema } from '../scenario/schema.js'
import { finishVariant, MIN_RUNS_FOR_SENSITIVITY } from './finishVariant.js'
import { newVariantState } from './variantState.js'

const claims = scenarioSchema.parse(handScenario).claims

const stateWith = (runs: number, payback: (number | null)[]) => {
  const state = newVariantState(0, {}, ['solo'], 12, claims.slice(0, 1))
  state.runs = runs
  state.payback.set('solo', payback)
  state.outcomes = [Array.from({ length: runs }, (_, i) => ({ holds: i % 2 === 0, margin: i }))]
  state.sampled = Array.from({ length: runs }, (_, i) => ({ x: i, y: 1 }))
  return state
}

describe('finishVariant', () => {
  test('median payback only when more than half the runs pay back', () => {
    expect(finishVariant(stateWith(3, [2, 5, null])).payback.solo).toEqual({
      p50: 5,
      withinHorizon: 2 / 3,
    })
    expect(finishVariant(stateWith(2, [2, null])).payback.solo).toEqual({
      p50: null,
      withinHorizon: 0.5,
    })
  })

  test('verdict: share of runs that held; sensitivity from 10 runs up, constant parameters left out', () => {
    const few = finishVariant(stateWith(MIN_RUNS_FOR_SENSITIVITY - 1, [])).claims[0]!
    expect(few.sensitivity).toEqual([])
    expect(few.probability).toBeCloseTo(5 / 9, 12)
    const many = finishVariant(stateWith(MIN_RUNS_FOR_SENSITIVITY, [])).claims[0]!
    expect(many.sensitivity).toEqual([{ parameter: 'x', correlation: 1 }])
    expect(many.runs).toBe(10)
  })

  test('no finished run: no probability to speak of (0 over 0 runs, runs: 0)', () => {
    const none = finishVariant(stateWith(0, [])).claims[0]!
    expect(none).toMatchObject({ probability: 0, runs: 0, sensitivity: [] })
  })
})

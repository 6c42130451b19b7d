import { describe, expect, test } from 'vitest'
import { handScenario } from '../../test/fixtures.js'
import { prepareVariant } from '../engine/prepareVariant.js'
import { runOnce } from '../engine/runOnce.js'
import { parseScenario } from '../scenario/parseScenario.js'
import { consumeRun, newVariantState } from './variantState.js'

describe('variantState', () => {
  test('a run adds to the quantiles, payback, claim outcomes and samples; nothing else is kept', () => {
    const variant = parseScenario(handScenario).variants[0]!
    const s = variant.scenario
    const state = newVariantState(0, {}, ['solo'], s.horizonMonths, s.claims)
    expect(state.months.size).toBe(11 + 4)
    consumeRun(state, runOnce(prepareVariant(variant), 0, 1))
    expect(state.runs).toBe(1)
    expect(state.payback.get('solo')).toEqual([1])
    expect(state.outcomes.map((o) => o[0]!.holds)).toEqual([true, false, true])
    expect(state.months.get('revenue')!.toJSON().p50[0]).toBeCloseTo(31_000_000, 2)
  })
})

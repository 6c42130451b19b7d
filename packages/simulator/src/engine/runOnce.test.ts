import { describe, expect, test } from 'vitest'
import { handScenario } from '../../test/fixtures.js'
import { SimulatorError } from '../errors.js'
import { parseScenario } from '../scenario/parseScenario.js'
import { prepareVariant } from './prepareVariant.js'
import { runOnce } from './runOnce.js'

const prepared = prepareVariant(parseScenario(handScenario).variants[0]!)

describe('runOnce', () => {
  test('the hand-worked scenario: 1,000,000 CNY a day, 70% to 10 nodes, payback in month 1', () => {
    const r = runOnce(prepared, 0, 5)
    expect(r.epochs.revenue![0]).toBe(1_000_000)
    expect(r.months.contributorRevenueShare![0]).toBeCloseTo(0.7, 12)
    expect(r.paybackMonth).toEqual({ solo: 1 })
    expect(r.nodeEpochs).toBe(10 * prepared.epochs)
  })

  test('bad arguments are SIM_INVALID_ARGUMENT, not a wrong run', () => {
    for (const [p, run, seed] of [
      [prepared, -1, 5],
      [prepared, 0.5, 5],
      [prepared, 0, Number.NaN],
      [prepared, 0, 2 ** 32],
      [{}, 0, 5],
    ] as const)
      expect(() => runOnce(p as typeof prepared, run, seed)).toThrow(
        expect.objectContaining({ code: 'SIM_INVALID_ARGUMENT' }),
      )
    expect(() => runOnce(prepared, 0, '1' as unknown as number)).toThrow(SimulatorError)
  })
})

import { describe, expect, test } from 'vitest'
import { cohort } from '../../test/engineFixtures.js'
import { type RunFrame, recordEpoch } from './recordEpoch.js'
import { runSeries } from './runSeries.js'

describe('recordEpoch', () => {
  test('epoch columns, monthly sums and last values, and per-tier profit and ROI', () => {
    const cohorts = [cohort(2, { powerCost: 10 }), cohort(2, { region: 'b', powerCost: 10 })]
    const frame: RunFrame = {
      ...runSeries(2, 1, ['solo']),
      cohorts,
      tierIds: ['solo'],
      investment: [1000],
      paidRevenue: new Float64Array([100, 60]),
      paidTokens: new Float64Array([1, 3]),
    }
    const flows = {
      volume: 5,
      revenue: 200,
      contributorRevenue: 140,
      emitted: 4,
      burned: 1,
      circulating: 9,
      price: 2,
      alive: 4,
    }
    recordEpoch(frame, 0, 0, flows)
    recordEpoch(frame, 1, 0, { ...flows, price: 3 })
    expect(frame.ep.emissionsToRevenue![0]).toBe((4 * 2) / 200)
    expect(frame.mo.revenue![0]).toBe(400)
    expect(frame.mo.emissionValue![0]).toBe(4 * 2 + 4 * 3)
    expect(frame.mo.price![0]).toBe(3) // last value of the month
    // profit per node: (100 + 60 + (1 + 3) × price − 4 nodes × 10) / 4
    const perNode = (price: number) => (160 + 4 * price - 40) / 4
    expect(frame.mo['profitPerNode.solo']![0]).toBeCloseTo(perNode(2) + perNode(3), 12)
    expect(frame.mo['monthlyRoi.solo']![0]).toBeCloseTo((perNode(2) + perNode(3)) / 1000, 12)
    expect(frame.mo['nodes.solo']![0]).toBe(4)
  })
})

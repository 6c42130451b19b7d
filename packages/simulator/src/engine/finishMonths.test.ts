import { describe, expect, test } from 'vitest'
import { finishMonths } from './finishMonths.js'
import { runSeries } from './runSeries.js'

describe('finishMonths', () => {
  test('shares and ratios per month, cumulative ROI, payback in the month it reaches 100%', () => {
    const { mo } = runSeries(1, 3, ['a', 'b'])
    mo.revenue!.set([100, 0, 50])
    mo.contributorRevenue!.set([70, 0, 35])
    mo.emissionValue!.set([10, 5, 0])
    mo['monthlyRoi.a']!.set([0.5, 0.4, 0.2])
    mo['monthlyRoi.b']!.set([0.1, 0.1, 0.1])
    expect(finishMonths(mo, 3, ['a', 'b'])).toEqual({ a: 3, b: null })
    expect([...mo.contributorRevenueShare!]).toEqual([0.7, 0, 0.7])
    expect([...mo.emissionsToRevenue!]).toEqual([0.1, 0, 0]) // no revenue: 0, not Infinity
    expect([...mo['cumulativeRoi.a']!].map((x) => Number(x.toFixed(12)))).toEqual([0.5, 0.9, 1.1])
  })
})

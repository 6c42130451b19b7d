import { describe, expect, test } from 'vitest'
import { EPOCH_COLUMNS, MONTH_COLUMNS, monthColumns } from './columns.js'
import { runSeries } from './runSeries.js'

describe('runSeries and monthColumns', () => {
  test('zeroed series for every epoch column and every monthly column, per tier', () => {
    const { ep, mo } = runSeries(5, 2, ['x'])
    expect(Object.keys(ep)).toEqual([...EPOCH_COLUMNS])
    expect(Object.keys(mo)).toEqual(monthColumns(['x']))
    expect(monthColumns(['x'])).toEqual([
      ...MONTH_COLUMNS,
      'monthlyRoi.x',
      'cumulativeRoi.x',
      'nodes.x',
      'profitPerNode.x',
    ])
    expect(ep.revenue).toEqual(new Float64Array(5))
    expect(mo['nodes.x']).toEqual(new Float64Array(2))
  })
})

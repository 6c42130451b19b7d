import { describe, expect, test } from 'vitest'
import type { RunResult } from '../engine/columns.js'
import { runSeries } from '../engine/runSeries.js'
import { csvRows, epochsHeader, monthsHeader } from './csvRows.js'

describe('csvRows', () => {
  test('a row per epoch and per month, prefixed by variant, run and seed, in header order', () => {
    const { ep, mo } = runSeries(2, 1, ['t'])
    ep.revenue!.set([5, 6])
    mo['nodes.t']!.set([9])
    const result = {
      variant: 0,
      run: 1,
      seed: 2,
      epochs: ep,
      months: mo,
      monthOf: Int32Array.from([0, 0]),
    }
    const rows = csvRows(result as unknown as RunResult, ['t'])
    const epochLines = rows.epochs.trimEnd().split('\n')
    expect(epochLines).toHaveLength(2)
    const header = epochsHeader().trimEnd().split(',')
    expect(epochLines[1]!.split(',')[header.indexOf('revenue')]).toBe('6')
    const monthHeader = monthsHeader(['t']).trimEnd().split(',')
    const month = rows.months.trimEnd().split(',')
    expect(month).toHaveLength(monthHeader.length)
    expect(month[monthHeader.indexOf('nodes.t')]).toBe('9')
    expect(month.slice(0, 4)).toEqual(['0', '1', '2', '1'])
  })
})

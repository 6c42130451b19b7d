import { describe, expect, test } from 'vitest'
import { EPOCH_COLUMNS, type RunResult } from '../engine/columns.js'
import { runSeries } from '../engine/runSeries.js'
import { epochRecords } from './epochRecords.js'

describe('epochRecords', () => {
  test('one record per epoch with its 1-based month and every epoch column', () => {
    const { ep, mo } = runSeries(3, 2, [])
    ep.revenue!.set([1, 2, 3])
    const result = {
      variant: 1,
      run: 2,
      seed: 3,
      epochs: ep,
      months: mo,
      monthOf: Int32Array.from([0, 0, 1]),
    }
    const records = [...epochRecords(result as unknown as RunResult)]
    expect(records.map((r) => [r.epoch, r.month, r.revenue])).toEqual([
      [0, 1, 1],
      [1, 1, 2],
      [2, 2, 3],
    ])
    expect(Object.keys(records[0]!)).toEqual([
      'variant',
      'run',
      'seed',
      'epoch',
      'month',
      ...EPOCH_COLUMNS,
    ])
  })
})

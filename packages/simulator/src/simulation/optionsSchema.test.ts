import { describe, expect, test } from 'vitest'
import { scenarioSchema } from '../scenario/schema.js'
import { simulateFlagsSchema, simulateOptionsSchema } from './optionsSchema.js'

describe('options and flags share the scenario bounds', () => {
  test.each([0, -1, 1.5, 1_000_001, Number.NaN, Number.POSITIVE_INFINITY])(
    'runs %s is refused everywhere',
    (runs) => {
      expect(simulateOptionsSchema.safeParse({ runs }).success).toBe(false)
      expect(simulateFlagsSchema.safeParse({ out: 'o', runs: String(runs) }).success).toBe(false)
      expect(scenarioSchema.shape.runs.safeParse(runs).success).toBe(false)
    },
  )

  test('flags are numbers written in full; the same values pass', () => {
    expect(
      simulateFlagsSchema.parse({ out: 'o', runs: '1000000', seed: '0', workers: '0' }),
    ).toEqual({
      out: 'o',
      runs: 1_000_000,
      seed: 0,
      workers: 0,
    })
    for (const runs of ['', ' ', 'abc', '1e12', '0x'])
      expect(simulateFlagsSchema.safeParse({ out: 'o', runs }).success).toBe(false)
    expect(simulateFlagsSchema.safeParse({ runs: '1' }).success).toBe(false) // --out is required
    expect(simulateOptionsSchema.safeParse({ colour: 'blue' }).success).toBe(false)
  })
})

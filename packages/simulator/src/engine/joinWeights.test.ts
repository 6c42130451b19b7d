import { describe, expect, test } from 'vitest'
import { cohort } from '../../test/engineFixtures.js'
import type { SampledTier } from './buildCohorts.js'
import { joinWeights } from './joinWeights.js'

describe('joinWeights', () => {
  test("each tier's cohorts with running shares of their region weights, ending at 1", () => {
    const tiers = [{ regions: { a: 1, b: 3 } }, { regions: { c: 2 } }] as unknown as SampledTier[]
    const cohorts = [
      cohort(1, { region: 'a' }),
      cohort(1, { region: 'c', tier: 1 }),
      cohort(1, { region: 'b' }),
    ]
    expect(joinWeights(tiers, cohorts)).toEqual([
      { ids: [0, 2], cumulative: [0.25, 1] },
      { ids: [1], cumulative: [1] },
    ])
  })
})

import { describe, expect, test } from 'vitest'
import { handScenario } from '../../test/fixtures.js'
import { scenarioSchema } from '../scenario/schema.js'
import { claimsMeta } from './claimsMeta.js'

describe('claimsMeta', () => {
  test("each claim's tier, band and months, by id", () => {
    const meta = claimsMeta(scenarioSchema.parse(handScenario).claims)
    expect(meta.get('exactly-100')).toEqual({ tier: 'solo', band: [0.999, 1.001], months: [1, 12] })
    expect(meta.get('share-70')).toEqual({ band: [0.6999, 0.7001], months: [1, 12] })
  })
})

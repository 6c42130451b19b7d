import { describe, expect, test } from 'vitest'
import { handScenario } from '../../test/fixtures.js'
import { parseScenario } from '../scenario/parseScenario.js'
import { readScenarioFile } from '../scenario/readScenarioFile.js'
import { prepareVariant, toTokens } from './prepareVariant.js'

describe('prepareVariant', () => {
  test('epochs cover the horizon; each epoch belongs to a month; circulating supply never falls', () => {
    const p = prepareVariant(parseScenario(handScenario).variants[0]!)
    expect(p.epochs).toBe(366) // 12 months of 30.436875 days, in 1-day epochs
    expect(p.monthOf[0]).toBe(0)
    expect(p.monthOf[365]).toBe(11)
    for (let e = 1; e < p.epochs; e++) {
      expect(p.monthOf[e]! - p.monthOf[e - 1]!).toBeGreaterThanOrEqual(0)
      expect(p.circulating[e]!).toBeGreaterThanOrEqual(p.circulating[e - 1]!)
    }
    expect(p.emission.every((x) => x >= 0n)).toBe(true)
    expect(p.baselinePool).toBe(0n)
  })

  test('baseline minting takes its share of the mining pool out of the schedule', () => {
    const filecoin = parseScenario(readScenarioFile('filecoin')).variants[0]!
    const p = prepareVariant(filecoin)
    expect(p.baselinePool).toBeGreaterThan(0n)
    const share = filecoin.scenario.baselineMinting!.share
    const scheduled = p.emission.reduce((s, x) => s + x, 0n)
    // the scheduled part over 8 years is at most (1 − share) of the pool
    expect(toTokens(scheduled)).toBeLessThan((toTokens(p.baselinePool) * (1 - share)) / share)
  })
})

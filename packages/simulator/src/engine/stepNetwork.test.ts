import { describe, expect, test } from 'vitest'
import { cohort } from '../../test/engineFixtures.js'
import { createRng } from '../random/createRng.js'
import type { SampledTier } from './buildCohorts.js'
import { joinWeights } from './joinWeights.js'
import { stepNetwork } from './stepNetwork.js'

const tier = (t: Partial<SampledTier>) =>
  ({ regions: { 'cn-east': 1 }, joinsPerMonth: 0, churnPerMonth: 0, ...t }) as SampledTier

describe('stepNetwork', () => {
  test('without joins, churn or jitter nothing changes; capacity is units × uptime', () => {
    const cohorts = [cohort(10, { meanUptime: 0.5 })]
    const tiers = [tier({})]
    const r = stepNetwork(cohorts, tiers, joinWeights(tiers, cohorts), 1 / 30, createRng(1))
    expect(r).toEqual({ alive: 10, capacity: 10 * 100 * 0.5 })
    expect(cohorts[0]!.node.uptimePpm).toBe(500_000)
  })

  test('joins add nodes, churn never takes a cohort below zero, uptime stays in [0, 1]', () => {
    const rng = createRng(2)
    const growing = [cohort(5)]
    const joining = [tier({ joinsPerMonth: 300, churnPerMonth: 0.01 })]
    const { alive } = stepNetwork(growing, joining, joinWeights(joining, growing), 1, rng)
    expect(alive).toBeGreaterThan(5)
    const cohorts = [cohort(50, { meanUptime: 0.9, jitter: 5 })]
    const churning = [tier({ churnPerMonth: 1 })]
    for (let e = 0; e < 20; e++) {
      const r = stepNetwork(cohorts, churning, joinWeights(churning, cohorts), 3, rng) // heavy churn
      expect(r.alive).toBeGreaterThanOrEqual(0)
      expect(cohorts[0]!.node.uptimePpm).toBeGreaterThanOrEqual(0)
      expect(cohorts[0]!.node.uptimePpm).toBeLessThanOrEqual(1_000_000)
    }
    expect(cohorts[0]!.node.count).toBe(0)
  })

  test('the same seed gives the same network', () => {
    const run = () => {
      const cohorts = [cohort(100, { jitter: 0.1, meanUptime: 0.9 })]
      const tiers = [tier({ joinsPerMonth: 30, churnPerMonth: 0.05 })]
      const rng = createRng(9)
      return Array.from({ length: 20 }, () =>
        stepNetwork(cohorts, tiers, joinWeights(tiers, cohorts), 1 / 30, rng),
      )
    }
    expect(run()).toEqual(run())
  })
})

import { defineConfig } from '@btt/core'
import { expect, test } from 'vitest'
import type { SampledTier } from '../engine/buildCohorts.js'
import { createRng } from '../random/createRng.js'
import { baseOf } from './exactSplit.js'
import { joinPending, resolveFactors, startNodeRun } from './nodeRun.js'

const tier = {
  gpusPerNode: 2,
  gpuUnitsPerGpu: 80,
  hardwareCostPerGpu: 10_000,
  powerWattsPerGpu: 400,
  electricityPricePerKwh: 0.5,
  uptime: 0.97,
  uptimeJitter: 0,
  latencyMs: 200,
  throughputPerHour: 60,
  gflopsPerWatt: 50,
  regions: { 'cn-east': 1, 'cn-west': 1 },
  initialNodes: 9,
  joinsPerMonth: 0,
  churnPerMonth: 0,
} as SampledTier

test('a population that outgrows its slots keeps every node, its weights and its order', () => {
  const engine = defineConfig({})
  const run = startNodeRun([tier], engine, 1, 2, createRng(3))
  joinPending(run, 0, createRng(4))
  resolveFactors(run)
  const p = run.pop
  expect(p.n).toBe(9)
  expect(p.capacity).toBeGreaterThanOrEqual(9)
  expect(Array.from(p.id.subarray(0, 9))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
  for (let i = 0; i < 9; i++) {
    // a typical node is always up: its weight is 160 units × 0.7 uptime factor × QoS 1.2 × energy 1.0
    expect(p.up[i]).toBe(1)
    expect(baseOf(p.dividend, i)).toBe(160n * 700_000n * 1_200_000n * 1_000_000n)
  }
  expect(run.regionCount.reduce((a, b) => a + b, 0)).toBe(9)
})

test('a node too wide to split exactly in float64 is refused, not rounded', () => {
  const engine = defineConfig({})
  const huge = { ...tier, gpusPerNode: 2, gpuUnitsPerGpu: 2 ** 32, initialNodes: 1 } as SampledTier
  const run = startNodeRun([huge], engine, 1, 4, createRng(3))
  joinPending(run, 0, createRng(4))
  expect(() => resolveFactors(run)).toThrowError(
    expect.objectContaining({ code: 'SIM_INVALID_SCENARIO' }),
  )
})

import type { NodePopulationInput } from '../src/scenario/nodeSchema.js'
import type { ScenarioInput } from '../src/scenario/schema.js'

type TierInput = ScenarioInput['tiers'][string]

const typical = {
  gpusPerNode: 1,
  gpuUnitsPerGpu: 80,
  hardwareCostPerGpu: 12_000,
  powerWattsPerGpu: 400,
  electricityPricePerKwh: 0.6,
  uptime: 0.95,
  latencyMs: 300,
  throughputPerHour: 40,
  gflopsPerWatt: 40,
}

/** A tier of heterogeneous nodes: two GPU models, outages that persist, spread QoS. */
function heterogeneous(
  initialNodes: number,
  regions: Record<string, number>,
  extra: Partial<TierInput> = {},
  nodes: Partial<NodePopulationInput> = {},
): TierInput {
  const population: NodePopulationInput = {
    gpus: { uniform: [1, 6] },
    gpuModels: [
      {
        id: 'consumer',
        weight: 3,
        unitsPerGpu: 80,
        costPerGpu: { uniform: [9000, 16000] },
        wattsPerGpu: { normal: [420, 40] },
        gflopsPerWatt: { uniform: [30, 60] },
      },
      {
        id: 'datacentre',
        weight: 1,
        unitsPerGpu: 400,
        costPerGpu: { lognormal: [200000, 0.2] },
        wattsPerGpu: 700,
        gflopsPerWatt: 80,
      },
    ],
    electricityPricePerKwh: { uniform: [0.3, 0.9] },
    availability: { uniform: [0.7, 0.999] },
    meanOutageDays: { uniform: [1, 6] },
    uptimeWhenUp: { uniform: [0.85, 1] },
    latencyMs: { normal: [350, 200] },
    throughputPerHour: { uniform: [10, 90] },
    sellShare: { uniform: [0, 1] },
    joinWithinDays: 20,
    ...nodes,
  }
  return {
    ...typical,
    regions,
    initialNodes,
    nodes: population,
    ...extra,
  }
}

/**
 * Small heterogeneous scenarios for the equality test against the per-node reference: regions
 * with and without bonuses, crowding (a low `targetNodesPerRegion`), joins, exits and churn.
 */
export const nodeScenarios: ScenarioInput[] = [
  {
    name: 'two-tiers',
    horizonMonths: 3,
    seed: 3,
    tiers: {
      home: heterogeneous(
        12,
        { 'cn-east': 2, 'cn-west': 1 },
        { joinsPerMonth: 6, churnPerMonth: 0.1 },
      ),
      big: heterogeneous(3, { 'cn-north': 1, 'cn-central': 1 }),
    },
    demand: { initialMonthlyVolume: 3_000_000, monthlyGrowth: 0.05, noise: 0.2 },
    token: {
      model: 'pressure',
      initialPrice: 5,
      liquidityCny: 10_000_000,
      buyShareOfRevenue: 0.05,
      sellShareOfRewards: 0.5,
      dailyNoise: 0.02,
    },
  },
  {
    name: 'crowded',
    horizonMonths: 4,
    seed: 8,
    tiers: {
      solo: heterogeneous(
        30,
        { 'cn-east': 1, 'cn-northeast': 1 },
        {
          behaviour: {
            exit: { lossMonths: 1, probability: 0.5 },
            join: { roiThreshold: -0.5, lookbackMonths: 1, nodesPerMonth: 10 },
          },
        },
      ),
    },
    demand: { initialMonthlyVolume: 500_000, monthlyGrowth: 0 },
    token: { model: 'gbm', initialPrice: 3, annualDrift: 0, annualVolatility: 0.5 },
    engine: { dividend: { region: { targetNodesPerRegion: 8 } } },
  },
  {
    name: 'floors',
    horizonMonths: 2,
    epochDays: 2,
    seed: 21,
    tiers: {
      a: heterogeneous(7, { 'cn-west': 1 }, {}, { meanOutageDays: { uniform: [2, 8] } }),
      b: { ...typical, regions: { 'cn-west': 1, 'cn-south': 1 }, initialNodes: 5 },
    },
    population: 'nodes',
    demand: { initialMonthlyVolume: 1_000, monthlyGrowth: 0.1 },
    token: { model: 'fixed', price: 2 },
    engine: { dividend: { uptime: { minPpm: 100_000, maxPpm: 1_000_000, floorPpm: 900_000 } } },
  },
]

import type { ScenarioInput } from '../src/scenario/schema.js'

/**
 * A scenario small enough to work out by hand. 10 identical nodes of 1 GPU; tokens are worth
 * nothing and power is free, so a node's profit is its revenue share only. Demand is
 * 30,436,875 CNY a month = exactly 1,000,000 CNY per 1-day epoch (a month is 30.436875 days).
 * Contributors get 70% = 700,000 CNY per epoch, 70,000 CNY per node.
 * Months 1–12 hold epochs 0..365 (366 epochs): mean monthly profit = 70,000 × 366 / 12 =
 * 2,135,000 CNY — so with a GPU costing 2,135,000 CNY the mean monthly ROI is exactly 100%.
 * Month 1 holds 31 epochs: 2,170,000 CNY ≥ the investment, so payback is in month 1.
 */
export const handScenario = {
  name: 'by-hand',
  horizonMonths: 12,
  runs: 4,
  seed: 5,
  tiers: {
    solo: {
      gpusPerNode: 1,
      gpuUnitsPerGpu: 100,
      hardwareCostPerGpu: 2_135_000,
      powerWattsPerGpu: 0,
      electricityPricePerKwh: 0,
      uptime: 1,
      latencyMs: 100,
      throughputPerHour: 60,
      gflopsPerWatt: 50,
      regions: { 'cn-east': 1 },
      initialNodes: 10,
    },
  },
  demand: { initialMonthlyVolume: 30_436_875, monthlyGrowth: 0 },
  token: { model: 'fixed', price: 0 },
  claims: [
    {
      id: 'exactly-100',
      metric: 'monthlyRoi',
      tier: 'solo',
      months: [1, 12],
      aggregate: 'mean',
      between: [0.999, 1.001],
    },
    {
      id: 'half',
      metric: 'monthlyRoi',
      tier: 'solo',
      months: [1, 12],
      aggregate: 'mean',
      between: [0.4, 0.6],
    },
    {
      id: 'share-70',
      metric: 'contributorRevenueShare',
      months: [1, 12],
      between: [0.6999, 0.7001],
    },
  ],
} satisfies ScenarioInput

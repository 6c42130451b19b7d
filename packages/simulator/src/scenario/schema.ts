import { z } from 'zod'
import { behaviourSchema, nodePopulationSchema } from './nodeSchema.js'

/**
 * A numeric parameter: a plain number, or a distribution sampled once per Monte Carlo run.
 * Bounds of `base` apply to the number, to both ends of `uniform` and to the mean of `normal`;
 * a parsed `normal` carries them (`bounds`) so that its samples are clamped to the same range.
 */
export function param(base: z.ZodNumber) {
  const bounds: [number, number] = [
    base.minValue ?? Number.NEGATIVE_INFINITY,
    base.maxValue ?? Number.POSITIVE_INFINITY,
  ]
  return z.union([
    base,
    z
      .strictObject({ uniform: z.tuple([base, base]) })
      .refine(
        (d) => d.uniform[0] <= d.uniform[1],
        'uniform: the low end must not exceed the high end',
      ),
    z
      .strictObject({ normal: z.tuple([base, z.number().min(0)]) })
      .transform((d) => ({ ...d, bounds })),
  ])
}

export type Param = number | { uniform: [number, number] } | { normal: [number, number] }

/** Monte Carlo runs per variant: the bounds a scenario's `runs`, `simulate`'s option and `--runs` share. */
export const runsSchema = z.number().int().min(1).max(1_000_000)
/** Master seed: an unsigned 32-bit integer (scenario `seed`, `simulate`'s option, `--seed`). */
export const seedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes')
const probability = z.number().min(0).max(1)
const nonNegative = z.number().min(0)

export const tierSchema = z.strictObject({
  label: z.string().optional(),
  /** GPUs per node (home 1–5, mid-size 6–50, institution 50+). */
  gpusPerNode: z.number().int().min(1),
  /** Compute units per GPU (e.g. dense FP16 TFLOPS); @btt/core's `gpuUnits` is this × GPUs. */
  gpuUnitsPerGpu: z.number().int().min(1),
  /** Hardware cost per GPU, CNY (the investment ROI is measured against). */
  hardwareCostPerGpu: param(nonNegative),
  /** Power draw per GPU under load, watts. */
  powerWattsPerGpu: param(nonNegative),
  /** Electricity price, CNY per kWh. */
  electricityPricePerKwh: param(nonNegative),
  /** Mean uptime, 0..1. */
  uptime: param(probability),
  /** Standard deviation of uptime from epoch to epoch, 0..1. */
  uptimeJitter: param(probability).default(0),
  latencyMs: param(nonNegative),
  throughputPerHour: param(nonNegative),
  gflopsPerWatt: param(nonNegative),
  /** Where this tier's nodes are, as relative weights by region. */
  regions: z.record(id, nonNegative).refine((r) => Object.values(r).some((w) => w > 0), {
    message: 'at least one region needs a positive weight',
  }),
  initialNodes: z.number().int().min(0),
  /** Mean nodes joining per month (Poisson). */
  joinsPerMonth: param(nonNegative).default(0),
  /** Share of nodes leaving per month, 0..1. */
  churnPerMonth: param(probability).default(0),
  /**
   * Per-node distributions (hardware, uptime process, QoS, efficiency, join date): with them the
   * per-node engine runs, and the scalars above describe the tier's typical node.
   */
  nodes: nodePopulationSchema.optional(),
  /** Joins and exits driven by the nodes' own returns (per-node engine only). */
  behaviour: behaviourSchema.optional(),
})

const tokenSchema = z.discriminatedUnion('model', [
  z.strictObject({ model: z.literal('fixed'), price: param(nonNegative) }),
  z.strictObject({
    model: z.literal('gbm'),
    initialPrice: param(nonNegative),
    /** Annual drift μ of the geometric Brownian motion. */
    annualDrift: param(z.number()),
    /** Annual volatility σ. */
    annualVolatility: param(nonNegative),
  }),
  z.strictObject({
    model: z.literal('pressure'),
    initialPrice: param(nonNegative),
    /** Market depth: CNY of net buying that moves the price by e (≈ 2.7×). */
    liquidityCny: param(z.number().min(1)),
    /** Share of compute revenue spent buying tokens (fees paid in, or buy-backs). */
    buyShareOfRevenue: param(probability),
    /** Share of mining rewards contributors sell as they earn them. */
    sellShareOfRewards: param(probability),
    /** Daily volatility of other trading, as a log-return standard deviation. */
    dailyNoise: param(nonNegative).default(0),
  }),
])

export const claimSchema = z
  .strictObject({
    id,
    description: z.string().optional(),
    metric: z.enum([
      'monthlyRoi',
      'cumulativeRoi',
      'monthlyVolume',
      'emissionsToRevenue',
      'contributorRevenueShare',
    ]),
    /** Required for the ROI metrics: which tier. */
    tier: id.optional(),
    /** Months, 1-based and inclusive: [1, 12] is the first year. */
    months: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
    between: z.tuple([z.number(), z.number()]).optional(),
    atLeast: z.number().optional(),
    atMost: z.number().optional(),
    /** `every`: every month in the range must satisfy the bound; `mean`: their mean must. */
    aggregate: z.enum(['every', 'mean']).default('every'),
  })
  .refine((c) => c.months[0] <= c.months[1], {
    message: 'months: start after end',
    path: ['months'],
  })
  .refine((c) => [c.between, c.atLeast, c.atMost].filter((b) => b !== undefined).length === 1, {
    message: 'give exactly one of between, atLeast, atMost',
  })
  .refine((c) => !c.metric.endsWith('Roi') || c.tier !== undefined, {
    message: 'ROI claims need a tier',
    path: ['tier'],
  })

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  horizonMonths: z.number().int().min(1).max(600),
  /** Days per epoch. */
  epochDays: z.number().int().min(1).max(31).default(1),
  runs: runsSchema.default(100),
  seed: seedSchema.default(1),
  /**
   * `nodes`: every node simulated on its own (the default when a tier declares `nodes`);
   * `cohorts`: identical nodes grouped by tier × region (the scalars only).
   */
  population: z.enum(['cohorts', 'nodes']).optional(),
  tiers: z.record(id, tierSchema).refine((t) => Object.keys(t).length > 0, 'at least one tier'),
  demand: z.strictObject({
    /** Compute-market volume in the first month, CNY. */
    initialMonthlyVolume: param(nonNegative),
    /** Compound growth of the volume per month (0.1 = +10% a month). */
    monthlyGrowth: param(z.number().min(-1)),
    /** Standard deviation of a monthly log-normal shock to volume. */
    noise: param(z.number().min(0).max(5)).default(0),
    maxMonthlyVolume: param(nonNegative).optional(),
  }),
  token: tokenSchema,
  burns: z
    .strictObject({
      /** High-value tokenization transactions per month (Poisson). */
      tokenizationTxPerMonth: param(nonNegative),
      /** Value of each, in tokens. */
      txValueTokens: param(nonNegative),
    })
    .default({ tokenizationTxPerMonth: 0, txValueTokens: 0 }),
  /** Filecoin-style baseline minting for a share of the mining pool (optional). */
  baselineMinting: z
    .strictObject({
      /** Share of the mining pool minted against the baseline (Filecoin: 0.7). */
      share: probability,
      /** The baseline's starting capacity, in compute units. */
      initialBaseline: z.number().min(1),
      /** Growth of the baseline per year (1 = doubles). */
      annualGrowth: z.number().min(0),
    })
    .optional(),
  /** Overrides of @btt/core's engine config (emission curve, revenue split, dividend, burns, ...). */
  engine: z.record(z.string(), z.unknown()).default({}),
  claims: z.array(claimSchema).default([]),
  sweep: z
    .strictObject({
      mode: z.enum(['cartesian', 'zip']),
      /** Dotted scenario paths and the values to try, e.g. `demand.monthlyGrowth: [0.05, 0.1]`. */
      parameters: z
        .record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean()])).min(1))
        .refine((p) => Object.keys(p).length > 0, 'at least one parameter'),
    })
    .optional(),
})

export type ScenarioInput = z.input<typeof scenarioSchema>
export type Scenario = z.output<typeof scenarioSchema>
export type Tier = z.output<typeof tierSchema>
export type Claim = z.output<typeof claimSchema>

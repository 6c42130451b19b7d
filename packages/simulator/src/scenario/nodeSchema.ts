import { z } from 'zod'

/**
 * A per-node distribution: drawn once for every node (not once per run, unlike `param`). A
 * plain number, `{ uniform: [lo, hi] }`, `{ normal: [mean, sd] }` (clamped to the parameter's
 * bounds) or `{ lognormal: [median, sigma] }`. Bounds of `base` apply to the number, to both ends
 * of `uniform`, to the mean of `normal` and to the median of `lognormal`.
 */
export function nodeDist(base: z.ZodNumber) {
  return z.union([
    base,
    z
      .strictObject({ uniform: z.tuple([base, base]) })
      .refine(
        (d) => d.uniform[0] <= d.uniform[1],
        'uniform: the low end must not exceed the high end',
      ),
    z.strictObject({ normal: z.tuple([base, z.number().min(0)]) }),
    z.strictObject({ lognormal: z.tuple([base.positive(), z.number().min(0).max(5)]) }),
  ])
}

export type NodeDist =
  | number
  | { uniform: [number, number] }
  | { normal: [number, number] }
  | { lognormal: [number, number] }

const probability = z.number().min(0).max(1)
const nonNegative = z.number().min(0)
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes')

export const gpuModelSchema = z.strictObject({
  id,
  /** Relative share of this tier's nodes built on this model. */
  weight: z.number().positive(),
  /** Compute units per GPU (dense FP16 TFLOPS). */
  unitsPerGpu: z.number().int().min(1),
  /** Hardware cost per GPU, CNY. */
  costPerGpu: nodeDist(nonNegative),
  /** Power draw per GPU under load, watts (a node draws nothing only when it is off). */
  wattsPerGpu: nodeDist(z.number().positive()),
  /** Energy efficiency, GFLOPS per watt. */
  gflopsPerWatt: nodeDist(nonNegative),
})

/** What each node of a tier is, drawn per node when it joins. */
export const nodePopulationSchema = z.strictObject({
  /** GPUs per node, rounded to a whole number of at least 1. */
  gpus: nodeDist(z.number().min(1)),
  gpuModels: z.array(gpuModelSchema).min(1),
  /** Electricity price the node pays, CNY per kWh. */
  electricityPricePerKwh: nodeDist(nonNegative),
  /** Long-run share of epochs the node is up (its outages persist: see `meanOutageDays`). */
  availability: nodeDist(z.number().gt(0).max(1)),
  /** Mean length of an outage, days: a two-state (up/down) Markov process per node. */
  meanOutageDays: nodeDist(z.number().min(1)),
  /** Uptime within an epoch when the node is up, 0..1. */
  uptimeWhenUp: nodeDist(probability),
  latencyMs: nodeDist(nonNegative),
  throughputPerHour: nodeDist(nonNegative),
  /** Share of its mining rewards the node sells when it earns them; the rest it stakes. */
  sellShare: nodeDist(probability).default(0.5),
  /** The initial nodes' join dates are spread uniformly over this many days. */
  joinWithinDays: z.number().int().min(0).default(0),
})

/** How a tier's nodes respond to their own returns (thresholds checked against the horizon). */
export const behaviourSchema = z.strictObject({
  /** A node that has lost money `lossMonths` months in a row leaves with `probability` a month. */
  exit: z
    .strictObject({
      lossMonths: z.number().int().min(1),
      probability: z.number().gt(0, 'a probability of 0 never triggers').max(1),
    })
    .optional(),
  /**
   * New nodes join (Poisson, `nodesPerMonth`) in a month after the tier's mean monthly ROI over
   * the last `lookbackMonths` months exceeded `roiThreshold`.
   */
  join: z
    .strictObject({
      roiThreshold: z
        .number()
        .gt(-1, 'a monthly ROI cannot fall below −100%, so this is no threshold'),
      lookbackMonths: z.number().int().min(1),
      nodesPerMonth: z.number().gt(0, 'a rate of 0 never adds a node'),
    })
    .optional(),
})

export type NodePopulation = z.output<typeof nodePopulationSchema>
export type Behaviour = z.output<typeof behaviourSchema>
export type NodePopulationInput = z.input<typeof nodePopulationSchema>

import type { SampledTier } from '../engine/buildCohorts.js'
import type { Rng } from '../random/createRng.js'
import type { NodeDist, NodePopulation } from '../scenario/nodeSchema.js'

/** One node as drawn when it joins: hardware, costs, uptime process, QoS, efficiency. */
export type DrawnNode = {
  region: string
  gpus: number
  /** Compute units (GPUs × units per GPU): @btt/core's `gpuUnits`. */
  gpuUnits: number
  investment: number
  /** Electricity per epoch at full uptime, CNY. */
  powerCost: number
  uptimeWhenUpPpm: number
  /** Chance per epoch that an up node goes down, and that a down node comes back. */
  pFail: number
  pRecover: number
  latencyMs: number
  throughput: number
  gflopsPerWatt: number
  sellShare: number
}

/** A draw from a per-node distribution, clamped to [lo, hi]. */
export function drawDist(
  d: NodeDist,
  rng: Rng,
  lo = Number.NEGATIVE_INFINITY,
  hi = Number.POSITIVE_INFINITY,
): number {
  let v: number
  if (typeof d === 'number') v = d
  else if ('uniform' in d) v = d.uniform[0] + (d.uniform[1] - d.uniform[0]) * rng.next()
  else if ('normal' in d) v = d.normal[0] + d.normal[1] * rng.normal()
  else v = d.lognormal[0] * Math.exp(d.lognormal[1] * rng.normal())
  return Math.min(hi, Math.max(lo, v))
}

/** A tier without per-node distributions: every node is the tier's typical node. */
export function typicalPopulation(tier: SampledTier): NodePopulation {
  return {
    gpus: tier.gpusPerNode,
    gpuModels: [
      {
        id: 'typical',
        weight: 1,
        unitsPerGpu: tier.gpuUnitsPerGpu,
        costPerGpu: tier.hardwareCostPerGpu,
        wattsPerGpu: Math.max(tier.powerWattsPerGpu, 1e-9),
        gflopsPerWatt: tier.gflopsPerWatt,
      },
    ],
    electricityPricePerKwh: tier.electricityPricePerKwh,
    availability: 1,
    meanOutageDays: 1,
    uptimeWhenUp: tier.uptime,
    latencyMs: tier.latencyMs,
    throughputPerHour: tier.throughputPerHour,
    sellShare: 0.5,
    joinWithinDays: 0,
  }
}

/**
 * Draws one node of a tier, in a fixed order of draws (so a run stays a function of its seed).
 * Its region by the tier's weights; GPU model by weight; then each attribute from its
 * distribution. The uptime process is a two-state Markov chain whose long-run share of up
 * epochs is the node's availability and whose outages last `meanOutageDays` on average.
 */
export function drawNode(
  population: NodePopulation,
  regions: { ids: string[]; cumulative: number[] },
  epochDays: number,
  rng: Rng,
): DrawnNode {
  const region = pick(regions.ids, regions.cumulative, rng.next())
  const models = population.gpuModels
  const total = models.reduce((a, m) => a + m.weight, 0)
  let u = rng.next() * total
  let model = models[models.length - 1]!
  for (const m of models) {
    if (u < m.weight) {
      model = m
      break
    }
    u -= m.weight
  }
  const gpus = Math.max(1, Math.round(drawDist(population.gpus, rng, 1)))
  const cost = drawDist(model.costPerGpu, rng, 0)
  const watts = drawDist(model.wattsPerGpu, rng, 1e-9)
  const gflopsPerWatt = drawDist(model.gflopsPerWatt, rng, 0)
  const kwh = drawDist(population.electricityPricePerKwh, rng, 0)
  const availability = drawDist(population.availability, rng, 1e-6, 1)
  const outage = drawDist(population.meanOutageDays, rng, epochDays)
  const uptime = drawDist(population.uptimeWhenUp, rng, 0, 1)
  const latencyMs = Math.round(drawDist(population.latencyMs, rng, 0))
  // whole jobs per hour (and whole milliseconds of latency): few distinct QoS inputs, so @btt/core's
  // factor for each is computed once and remembered
  const throughput = Math.min(9999, Math.round(drawDist(population.throughputPerHour, rng, 0)))
  const sellShare = drawDist(population.sellShare, rng, 0, 1)
  const pRecover = Math.min(1, epochDays / outage)
  return {
    region,
    gpus,
    gpuUnits: gpus * model.unitsPerGpu,
    investment: gpus * cost,
    powerCost: ((gpus * watts) / 1000) * 24 * epochDays * kwh,
    uptimeWhenUpPpm: Math.round(uptime * 1000) * 1000, // 0.1% steps
    pFail: Math.min(1, (pRecover * (1 - availability)) / availability),
    pRecover,
    latencyMs,
    throughput,
    gflopsPerWatt: Math.round(gflopsPerWatt * 10) / 10,
    sellShare,
  }
}

function pick(ids: string[], cumulative: number[], u: number): string {
  let k = 0
  while (k < cumulative.length - 1 && u >= cumulative[k]!) k++
  return ids[k]!
}

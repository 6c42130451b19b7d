import { z } from 'zod'
import { amountArgument, argument } from '../arguments.js'
import { defaultConfig } from '../config/parseConfig.js'
import type { DividendConfig, EngineConfig } from '../config/schema.js'
import { useConfig, useSection } from '../config/useConfig.js'
import { PPM } from '../constants.js'
import { CoreError } from '../errors.js'
import { allocate } from '../math/allocate.js'
import { clamp } from '../math/bigint.js'

export const contributorNodeSchema = z.strictObject({
  id: z.string().min(1),
  /**
   * How many identical nodes this entry stands for (a fleet, or a simulator cohort). Their
   * amount is for the whole group; region crowding counts every node. Default 1.
   */
  count: z.number().int().min(0).default(1),
  /** Region code, e.g. `cn-west`; regions listed in the config's `bonusPpm` earn a bonus. */
  region: z.string().min(1),
  /** GPU capacity contributed this epoch, in compute units (e.g. dense FP16 TFLOPS). */
  gpuUnits: z.number().int().min(0),
  /** Dedicated AI accelerators (NPUs, TPUs) contributed this epoch. */
  accelerators: z.number().int().min(0).default(0),
  /** Uptime over the epoch, in parts per million (999,000 = 99.9%). */
  uptimePpm: z.number().int().min(0).max(1_000_000),
  /** p95 job latency in milliseconds. */
  latencyMs: z.number().min(0),
  /** Jobs completed per hour. */
  throughput: z.number().min(0),
  /** Energy efficiency, GFLOPS per watt. */
  gflopsPerWatt: z.number().min(0),
})

const nodesSchema = z.array(contributorNodeSchema).min(1)

export type ContributorNode = z.input<typeof contributorNodeSchema>

export type DividendFactors = {
  /** GPU units plus accelerators × `acceleratorUnits`. */
  computeUnits: bigint
  uptimePpm: bigint
  qosPpm: bigint
  regionPpm: bigint
  energyPpm: bigint
}

export type DividendShare = {
  id: string
  factors: DividendFactors
  /** Nodes in this node's region this epoch (drives the crowding damping). */
  regionNodes: number
  /**
   * count × computeUnits × uptime × qos × region × energy, the four factors in ppm (so 10^24
   * is one compute unit at 1.0).
   */
  score: bigint
  /** The entry's amount (for all `count` nodes of it). */
  amount: bigint
}

export type DividendSharesReturnType = {
  pool: bigint
  totalScore: bigint
  shares: DividendShare[]
}

export type DividendSharesErrorType = CoreError

const ONE = 1_000_000

/**
 * Splits an epoch's reward pool between contributor nodes by the dividend formula, and shows how
 * each amount came about.
 *
 * A node's score is `computeUnits × uptime × qos × region × energy`, where each factor is bounded
 * by the config (`minPpm`..`maxPpm`):
 * - uptime: `minPpm` at or below `floorPpm`, rising linearly to `maxPpm` at 100%;
 * - quality of service: the mean of a latency score (full at `targetLatencyMs`, zero at
 *   `maxLatencyMs`) and a throughput score (full at `targetThroughput`), mapped onto the bounds;
 * - region: the region's bonus (1.0 unless listed) times a crowding damping
 *   `min(1, targetNodesPerRegion / nodesInRegion)`, in the spirit of Helium's HIP-17;
 * - energy: efficiency relative to `referenceGflopsPerWatt`.
 *
 * The pool is split by score with {@link allocate}: amounts sum to exactly `pool`. Raising one of
 * a node's own factors never lowers its score or exact share; after integer rounding its amount can
 * move by at most one base unit (largest remainder's known population paradox).
 *
 * @param nodes - the epoch's nodes and their telemetry.
 * @param pool - the amount to split, in base units.
 * @param config - engine config; the model's defaults when omitted.
 * @returns each node's factors, score and amount.
 * @throws {CoreError} `CORE_NO_ELIGIBLE_NODES` when every score is zero; `CORE_INVALID_ARGUMENT`,
 * `CORE_NEGATIVE_AMOUNT` or `CORE_INVALID_CONFIG` for invalid arguments.
 * @example
 * ```ts
 * import { dividendShares } from '@btt/core'
 * const { shares } = dividendShares([
 *   { id: 'a', region: 'cn-east', gpuUnits: 80, uptimePpm: 999_000, latencyMs: 150, throughput: 60, gflopsPerWatt: 50 },
 *   { id: 'b', region: 'cn-west', gpuUnits: 40, uptimePpm: 990_000, latencyMs: 400, throughput: 30, gflopsPerWatt: 40 },
 * ], 1_000n)
 * ```
 */
export function dividendShares(
  nodes: readonly ContributorNode[],
  pool: bigint,
  config: Pick<EngineConfig, 'dividend'> = defaultConfig,
): DividendSharesReturnType {
  const parsed = argument(nodesSchema, nodes, 'contributor nodes')
  const amount = amountArgument(pool, 'The reward pool')
  const c = useConfig(config, ['dividend']).dividend

  const perRegion = new Map<string, number>()
  for (const node of parsed)
    perRegion.set(node.region, (perRegion.get(node.region) ?? 0) + node.count)

  const scores = new Array<bigint>(parsed.length)
  const partial = parsed.map((node, i) => {
    const regionNodes = perRegion.get(node.region)!
    const factors = factorsOf(node, regionNodes, c)
    const score =
      BigInt(node.count) *
      factors.computeUnits *
      factors.uptimePpm *
      factors.qosPpm *
      factors.regionPpm *
      factors.energyPpm
    scores[i] = score
    return { id: node.id, factors, regionNodes, score, amount: 0n }
  })
  let totalScore = 0n
  for (const score of scores) totalScore += score
  if (totalScore === 0n)
    throw new CoreError(
      'CORE_NO_ELIGIBLE_NODES',
      `None of the ${parsed.length} nodes earned a positive score; the pool cannot be split.`,
      {
        details: { nodes: parsed.length },
        metaMessages: ["Carry the pool over to the next epoch, or check the nodes' telemetry."],
      },
    )
  const amounts = allocate(amount, scores)
  for (let i = 0; i < partial.length; i++) partial[i]!.amount = amounts[i]!
  return { pool: amount, totalScore, shares: partial }
}

/**
 * The bounded factors of one node (all in ppm), as {@link dividendShares} computes them.
 *
 * @param node - the node and its telemetry.
 * @param regionNodes - nodes in the node's region this epoch (at least 1).
 * @param dividend - the dividend rules, `config.dividend`.
 * @returns compute units and the four factors.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` or `CORE_INVALID_CONFIG` for invalid arguments.
 * @example
 * ```ts
 * import { defaultConfig, nodeFactors } from '@btt/core'
 * nodeFactors({ id: 'a', region: 'cn-east', gpuUnits: 80, uptimePpm: 999_000, latencyMs: 150,
 *   throughput: 60, gflopsPerWatt: 50 }, 1, defaultConfig.dividend).computeUnits // 80n
 * ```
 */
export function nodeFactors(
  node: ContributorNode,
  regionNodes: number,
  dividend: DividendConfig,
): DividendFactors {
  return factorsOf(
    argument(contributorNodeSchema, node, 'contributor node'),
    argument(z.number().int().min(1), regionNodes, 'nodes in the region'),
    useSection(dividend, 'dividend'),
  )
}

function factorsOf(
  node: z.output<typeof contributorNodeSchema>,
  regionNodes: number,
  c: DividendConfig,
): DividendFactors {
  const computeUnits =
    BigInt(node.gpuUnits) + BigInt(node.accelerators) * BigInt(c.acceleratorUnits)

  const u = c.uptime
  const uptimePpm =
    node.uptimePpm <= u.floorPpm
      ? BigInt(u.minPpm)
      : BigInt(u.minPpm) +
        (BigInt(u.maxPpm - u.minPpm) * BigInt(node.uptimePpm - u.floorPpm)) /
          BigInt(ONE - u.floorPpm)

  const q = c.qos
  const latency =
    node.latencyMs <= q.targetLatencyMs
      ? ONE
      : node.latencyMs >= q.maxLatencyMs
        ? 0
        : Math.floor(
            (ONE * (q.maxLatencyMs - node.latencyMs)) / (q.maxLatencyMs - q.targetLatencyMs),
          )
  const throughput = Math.min(ONE, Math.floor((ONE * node.throughput) / q.targetThroughput))
  const qosPpm =
    BigInt(q.minPpm) + (BigInt(q.maxPpm - q.minPpm) * BigInt(latency + throughput)) / (2n * PPM)

  const r = c.region
  const bonus = BigInt(r.bonusPpm[node.region] ?? ONE)
  const damping =
    regionNodes <= r.targetNodesPerRegion
      ? PPM
      : (PPM * BigInt(r.targetNodesPerRegion)) / BigInt(regionNodes)
  const regionPpm = clamp((bonus * damping) / PPM, BigInt(r.minPpm), BigInt(r.maxPpm))

  const e = c.energy
  const energyPpm = clamp(
    BigInt(Math.floor((ONE * node.gflopsPerWatt) / e.referenceGflopsPerWatt)),
    BigInt(e.minPpm),
    BigInt(e.maxPpm),
  )
  return { computeUnits, uptimePpm, qosPpm, regionPpm, energyPpm }
}

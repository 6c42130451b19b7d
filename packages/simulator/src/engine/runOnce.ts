import {
  allocate,
  type BurnState,
  type ContributorNode,
  DAY,
  dividendShares,
  initialBurnState,
  MONTH,
  NoEligibleNodesError,
  ONE_TOKEN,
  recordBurn,
  shareContributorRevenue,
  splitRevenue,
  YEAR,
} from '@btt/core'
import { createRng } from '../random/createRng.js'
import { sampleScenario } from '../scenario/sampleScenario.js'
import { type PreparedVariant, toTokens } from './prepareVariant.js'

/** Per-epoch columns written for every run. */
export const EPOCH_COLUMNS = [
  'monthlyVolume',
  'revenue',
  'contributorRevenue',
  'emission',
  'burned',
  'circulating',
  'price',
  'contributors',
  'emissionsToRevenue',
] as const

/** Per-month columns, before the per-tier ones. */
export const MONTH_COLUMNS = [
  'monthlyVolume',
  'revenue',
  'contributorRevenue',
  'contributorRevenueShare',
  'emission',
  'emissionValue',
  'emissionsToRevenue',
  'burned',
  'circulating',
  'price',
  'contributors',
] as const

/** Per-tier monthly columns, named `<column>.<tier>`. */
export const TIER_MONTH_COLUMNS = ['monthlyRoi', 'cumulativeRoi', 'nodes', 'profitPerNode'] as const

export type RunResult = {
  variant: number
  run: number
  seed: number
  /** Values drawn from the scenario's distributions, by path. */
  sampled: Record<string, number>
  epochs: Record<string, Float64Array>
  months: Record<string, Float64Array>
  /** First month (1-based) in which a node that joined at the start has paid back its hardware. */
  paybackMonth: Record<string, number | null>
  /** Node-epochs simulated (nodes alive × epochs). */
  nodeEpochs: number
  /** Month index (0-based) of each epoch. */
  monthOf: Int32Array
}

type Cohort = {
  tier: number
  node: ContributorNode & { count: number; uptimePpm: number }
  meanUptime: number
  jitter: number
  /** Electricity cost per node per epoch at 100% uptime, CNY. */
  powerCost: number
}

/**
 * One Monte Carlo run of a prepared scenario variant. Network, demand and price dynamics are the
 * simulator's; every split, share, emission and burn is @btt/core's. Nodes are simulated as
 * cohorts of identical nodes (tier × region), each a grouped `ContributorNode` with a `count`.
 */
export function runOnce(prepared: PreparedVariant, run: number, seed: number): RunResult {
  const rng = createRng(seed)
  const { scenario: s, sampled } = sampleScenario(prepared.variant.scenario, rng)
  const engine = prepared.variant.engine
  const { epochs, months, epochSeconds, tierIds } = prepared
  const perMonth = epochSeconds / MONTH
  const tiers = tierIds.map((id) => s.tiers[id]!)

  const cohorts: Cohort[] = []
  tiers.forEach((tier, t) => {
    const regions = Object.entries(tier.regions).filter(([, w]) => w > 0)
    const initial = allocate(
      BigInt(tier.initialNodes),
      regions.map(([, w]) => BigInt(Math.round(w * 1e6))),
    )
    regions.forEach(([region], r) => {
      cohorts.push({
        tier: t,
        node: {
          id: `${tierIds[t]}/${region}`,
          region,
          count: Number(initial[r]),
          gpuUnits: tier.gpusPerNode * tier.gpuUnitsPerGpu,
          accelerators: 0,
          uptimePpm: Math.round(tier.uptime * 1e6),
          latencyMs: tier.latencyMs,
          throughput: tier.throughputPerHour,
          gflopsPerWatt: tier.gflopsPerWatt,
        },
        meanUptime: tier.uptime,
        jitter: tier.uptimeJitter,
        powerCost:
          ((tier.gpusPerNode * tier.powerWattsPerGpu) / 1000) *
          (epochSeconds / 3600) *
          tier.electricityPricePerKwh,
      })
    })
  })
  // per tier: its cohorts and the cumulative share of joins each region takes
  const regionWeights = tiers.map((tier, t) => {
    const ids = cohorts.flatMap((c, i) => (c.tier === t ? [i] : []))
    const weights = ids.map((i) => tier.regions[cohorts[i]!.node.region] ?? 0)
    const total = weights.reduce((a, w) => a + w, 0)
    const cumulative: number[] = []
    let running = 0
    for (const w of weights) {
      running += w
      cumulative.push(running / total)
    }
    return { ids, cumulative }
  })
  const investment = tiers.map((t) => t.gpusPerNode * t.hardwareCostPerGpu)

  const ep: Record<string, Float64Array> = {}
  for (const c of EPOCH_COLUMNS) ep[c] = new Float64Array(epochs)
  const mo: Record<string, Float64Array> = {}
  for (const c of MONTH_COLUMNS) mo[c] = new Float64Array(months)
  for (const id of tierIds)
    for (const c of TIER_MONTH_COLUMNS) mo[`${c}.${id}`] = new Float64Array(months)

  let price = s.token.model === 'fixed' ? s.token.price : s.token.initialPrice
  let burns: BurnState = initialBurnState
  let shock = 1
  let month = -1
  let nodeEpochs = 0
  // Filecoin-style baseline minting state
  const baseline = s.baselineMinting
  const baselinePool = toTokens(prepared.baselinePool)
  const lambda = Math.LN2 / engine.emission.halfLife
  const growth = baseline ? Math.log(1 + baseline.annualGrowth) / YEAR : 0
  let rewardedCapacity = 0 // compute-unit-seconds under the baseline
  let baselineMinted = 0

  const paidRevenue = new Float64Array(cohorts.length)
  const paidTokens = new Float64Array(cohorts.length)

  for (let e = 0; e < epochs; e++) {
    const m = prepared.monthOf[e]!
    if (m !== month) {
      month = m
      const noise = s.demand.noise
      shock = noise > 0 ? Math.exp(noise * rng.normal() - (noise * noise) / 2) : 1
    }
    // network: joins by tier, spread over regions by weight; churn per cohort
    tiers.forEach((tier, t) => {
      const joins = rng.poisson(tier.joinsPerMonth * perMonth)
      const { ids, cumulative } = regionWeights[t]!
      for (let j = 0; j < joins; j++) {
        const u = rng.next()
        let k = 0
        while (k < cumulative.length - 1 && u >= cumulative[k]!) k++
        cohorts[ids[k]!]!.node.count++
      }
    })
    let alive = 0
    let capacity = 0
    for (const c of cohorts) {
      const tier = tiers[c.tier]!
      if (tier.churnPerMonth > 0 && c.node.count > 0)
        c.node.count -= Math.min(
          c.node.count,
          rng.poisson(c.node.count * tier.churnPerMonth * perMonth),
        )
      const up =
        c.jitter > 0
          ? Math.min(1, Math.max(0, c.meanUptime + c.jitter * rng.normal()))
          : c.meanUptime
      c.node.uptimePpm = Math.round(up * 1e6)
      alive += c.node.count
      capacity += c.node.count * c.node.gpuUnits * up
    }
    nodeEpochs += alive

    // demand and revenue (CNY; fen for the exact split)
    const t = e * epochSeconds
    let volume = s.demand.initialMonthlyVolume * (1 + s.demand.monthlyGrowth) ** (t / MONTH) * shock
    if (s.demand.maxMonthlyVolume !== undefined)
      volume = Math.min(volume, s.demand.maxMonthlyVolume)
    const revenueFen = BigInt(Math.round(volume * perMonth * 100))
    const split = splitRevenue(revenueFen, engine)
    paidRevenue.fill(0)
    const weights = cohorts.map(
      (c) => BigInt(c.node.count * c.node.gpuUnits) * BigInt(c.node.uptimePpm),
    )
    if (weights.some((w) => w > 0n)) {
      const shares = shareContributorRevenue(split.contributors, weights)
      for (let i = 0; i < cohorts.length; i++) paidRevenue[i] = Number(shares[i]!) / 100
    }

    // emission: the schedule's part, plus baseline minting against network capacity
    let pool = prepared.emission[e]!
    if (baseline) {
      const at = t + epochSeconds
      const target = baseline.initialBaseline * Math.exp(growth * at)
      rewardedCapacity += Math.min(capacity, target) * epochSeconds
      const theta = Math.log(1 + (growth * rewardedCapacity) / baseline.initialBaseline) / growth
      const minted = baselinePool * (1 - Math.exp(-lambda * theta))
      pool += BigInt(Math.floor((minted - baselineMinted) * 1e6)) * 10n ** 12n
      baselineMinted = minted
    }
    paidTokens.fill(0)
    let emitted = 0
    const active = cohorts.filter((c) => c.node.count > 0)
    if (pool > 0n && active.length) {
      try {
        const { shares } = dividendShares(
          active.map((c) => c.node),
          pool,
          engine,
        )
        let k = 0
        for (let i = 0; i < cohorts.length; i++)
          if (cohorts[i]!.node.count > 0) paidTokens[i] = toTokens(shares[k++]!.amount)
        emitted = toTokens(pool)
      } catch (error) {
        if (!(error instanceof NoEligibleNodesError)) throw error
      }
    }

    // burns on high-value tokenization transactions
    const txs = rng.poisson(s.burns.tokenizationTxPerMonth * perMonth)
    const burnedBefore = burns.burned
    const txValue = BigInt(Math.round(s.burns.txValueTokens * 1e6)) * (ONE_TOKEN / 1_000_000n)
    for (let i = 0; i < txs; i++) burns = recordBurn(burns, { value: txValue }, engine).state
    const burned = toTokens(burns.burned - burnedBefore)

    // token price
    const revenue = Number(revenueFen) / 100
    const token = s.token
    if (token.model === 'gbm') {
      const dt = epochSeconds / YEAR
      const sigma = token.annualVolatility
      price *= Math.exp(
        (token.annualDrift - (sigma * sigma) / 2) * dt + sigma * Math.sqrt(dt) * rng.normal(),
      )
    } else if (token.model === 'pressure') {
      const buy = token.buyShareOfRevenue * revenue
      const sell = token.sellShareOfRewards * emitted * price
      const noise = token.dailyNoise * Math.sqrt(epochSeconds / DAY)
      price *= Math.exp((buy - sell) / token.liquidityCny + (noise > 0 ? noise * rng.normal() : 0))
    }

    // per-tier profit per node (revenue share + rewards at today's price − electricity)
    const contributorRevenue = Number(split.contributors) / 100
    ep.monthlyVolume![e] = volume
    ep.revenue![e] = revenue
    ep.contributorRevenue![e] = contributorRevenue
    ep.emission![e] = emitted
    ep.burned![e] = burned
    ep.circulating![e] = prepared.circulating[e]! - toTokens(burns.burned)
    ep.price![e] = price
    ep.contributors![e] = alive
    ep.emissionsToRevenue![e] = revenue > 0 ? (emitted * price) / revenue : 0

    mo.revenue![m]! += revenue
    mo.contributorRevenue![m]! += contributorRevenue
    mo.emission![m]! += emitted
    mo.emissionValue![m]! += emitted * price
    mo.burned![m]! += burned
    mo.monthlyVolume![m] = volume
    mo.circulating![m] = ep.circulating![e]!
    mo.price![m] = price
    mo.contributors![m] = alive
    for (let t = 0; t < tiers.length; t++) {
      let nodes = 0
      let profit = 0
      for (let i = 0; i < cohorts.length; i++) {
        const c = cohorts[i]!
        if (c.tier !== t) continue
        nodes += c.node.count
        profit +=
          paidRevenue[i]! +
          paidTokens[i]! * price -
          c.powerCost * (c.node.uptimePpm / 1e6) * c.node.count
      }
      const perNode = nodes > 0 ? profit / nodes : 0
      const id = tierIds[t]!
      mo[`profitPerNode.${id}`]![m]! += perNode
      mo[`monthlyRoi.${id}`]![m]! += investment[t]! > 0 ? perNode / investment[t]! : 0
      mo[`nodes.${id}`]![m] = nodes
    }
  }

  const paybackMonth: Record<string, number | null> = {}
  for (let m = 0; m < months; m++) {
    const r = mo.revenue![m]!
    mo.contributorRevenueShare![m] = r > 0 ? mo.contributorRevenue![m]! / r : 0
    mo.emissionsToRevenue![m] = r > 0 ? mo.emissionValue![m]! / r : 0
  }
  for (const id of tierIds) {
    const monthly = mo[`monthlyRoi.${id}`]!
    const cumulative = mo[`cumulativeRoi.${id}`]!
    let sum = 0
    paybackMonth[id] = null
    for (let m = 0; m < months; m++) {
      sum += monthly[m]!
      cumulative[m] = sum
      if (paybackMonth[id] === null && sum >= 1) paybackMonth[id] = m + 1
    }
  }
  return {
    variant: prepared.variant.index,
    run,
    seed,
    sampled,
    epochs: ep,
    months: mo,
    paybackMonth,
    nodeEpochs,
    monthOf: prepared.monthOf,
  }
}

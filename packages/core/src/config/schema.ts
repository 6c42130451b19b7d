import { z } from 'zod'
import { zAmount, zBps, zId, zMonths, zMultiplierBps, zPpm, zSeconds } from './primitives.js'

const linearRelease = z.strictObject({
  kind: z.literal('linear'),
  /** Months after genesis before anything vests (the model's "延遲"). */
  delayMonths: zMonths.default(0),
  /** Months over which the amount vests linearly once the delay is over. */
  durationMonths: zMonths,
  /** Optional cliff, in months after genesis (OpenZeppelin VestingWalletCliff semantics). */
  cliffMonths: zMonths.optional(),
})

const milestoneRelease = z.strictObject({
  kind: z.literal('milestones'),
  durationMonths: zMonths,
  milestones: z
    .array(
      z.strictObject({
        id: zId,
        description: z.string(),
        shareBps: zBps,
        /** The tranche cannot unlock before this many months after genesis, even if attested. */
        notBeforeMonths: zMonths,
      }),
    )
    .min(1),
})

const emissionRelease = z.strictObject({ kind: z.literal('emission') })
const participationRelease = z.strictObject({ kind: z.literal('participation') })
const discretionaryRelease = z.strictObject({ kind: z.literal('discretionary') })

export const releaseSchema = z.discriminatedUnion('kind', [
  linearRelease,
  milestoneRelease,
  emissionRelease,
  participationRelease,
  discretionaryRelease,
])

export const allocationEntrySchema = z.strictObject({
  id: zId,
  label: z.string().min(1),
  shareBps: zBps,
  release: releaseSchema,
})

export const emissionCurveSchema = z.enum(['halving', 'decay', 'linear'])

export const emissionConfigSchema = z.strictObject({
  curve: emissionCurveSchema,
  /** Length of the distribution, in seconds (default 8 years). */
  duration: zSeconds.min(1),
  /** Length of one epoch, in seconds (default 1 day). */
  epochLength: zSeconds.min(1),
  /** `halving`: seconds between halvings (default 2 years). */
  halvingPeriod: zSeconds.min(1),
  /** `decay`: half-life of the emission rate, in seconds (Filecoin simple minting: 6 years). */
  halfLife: zSeconds.min(1),
})

const splitSchema = z.strictObject({
  contributorsBps: zBps,
  devFundBps: zBps,
  foundationBps: zBps,
  reserveBps: zBps,
})

const tierTable = z.record(zId, zMultiplierBps)

export const computePricingSchema = z.strictObject({
  currency: z.string().length(3),
  /** Minor units per major unit of `currency` is 10^minorDecimals (CNY: 2, fen). */
  minorDecimals: z.number().int().min(0).max(18),
  /** Price of one GPU-hour on the reference GPU, in minor units. */
  pricePerGpuHour: zAmount,
  /** Price of 10^18 floating-point operations (an exaFLOP), in minor units. */
  pricePerExaflop: zAmount,
  /** Price per GiB moved in or out, in minor units. */
  pricePerGib: zAmount,
  /** Urgency multipliers in basis points (10,000 = 1x). */
  urgency: tierTable,
  /** Surcharge for specialised hardware, in basis points of the compute charge. */
  hardware: tierTable,
  /** The smallest amount a job is billed, in minor units. */
  minimumCharge: zAmount,
})

const boundedFactor = z.strictObject({ minPpm: zPpm, maxPpm: zPpm })

export const dividendConfigSchema = z.strictObject({
  /** Compute units credited per AI accelerator, on top of the node's GPU capacity units. */
  acceleratorUnits: z.number().int().min(0),
  uptime: boundedFactor.extend({
    /** Uptime (ppm) at or below which the node gets `minPpm`. */
    floorPpm: zPpm,
  }),
  qos: boundedFactor.extend({
    /** p95 latency in ms at or under which the latency half of the score is full. */
    targetLatencyMs: z.number().int().min(1),
    /** p95 latency in ms at or over which the latency half of the score is zero. */
    maxLatencyMs: z.number().int().min(1),
    /** Jobs per hour at or over which the throughput half of the score is full. */
    targetThroughput: z.number().int().min(1),
  }),
  region: boundedFactor.extend({
    /** Bonus multiplier for underserved regions (ppm), default 1.0 for a region not listed. */
    bonusPpm: z.record(zId, zPpm),
    /** Nodes a region can hold before its rewards are damped (HIP-17-style density target). */
    targetNodesPerRegion: z.number().int().min(1),
  }),
  energy: boundedFactor.extend({
    /** Efficiency (GFLOPS per watt) that earns exactly 1.0. */
    referenceGflopsPerWatt: z.number().int().min(1),
  }),
})

const feeTier = z.strictObject({ minAmount: zAmount, bps: zBps })

export const feesConfigSchema = z.strictObject({
  tokenization: z.strictObject({
    minting: z.strictObject({
      baseBps: zBps,
      minBps: zBps,
      maxBps: zBps,
      complexity: z.record(zId, zBps),
      regulatory: z.record(zId, zBps),
      /** Surcharge by valuation band: the band with the largest `minValue` not above the value. */
      valuation: z.array(z.strictObject({ minValue: zAmount, bps: zBps })).min(1),
    }),
    /** Secondary trades: the tier with the largest `minAmount` not above the trade applies. */
    secondary: z.array(feeTier).min(1),
    revaluation: z.record(zId, zBps),
    liquidityManagement: z.strictObject({
      minAnnualBps: zBps,
      maxAnnualBps: zBps,
      defaultAnnualBps: zBps,
      daysPerYear: z.number().int().min(360).max(366),
    }),
    premiumListingBpsPerMonth: zBps,
  }),
  payfi: z.strictObject({
    /** Standard payment fee by the merchant's monthly volume (minor units). */
    standard: z.array(feeTier).min(1),
    fxBps: zBps,
    analyticsBps: zBps,
  }),
  subscriptions: z.strictObject({
    currency: z.string().length(3),
    /** Monthly price by clinic size, in minor units. */
    monthly: z.record(zId, zAmount),
    /** Discount for paying a year up front, in basis points. */
    annualPrepayDiscountBps: zBps,
  }),
})

export const burnConfigSchema = z.strictObject({
  /** Tokenization transactions worth at least this (token base units) burn tokens. */
  thresholdValue: zAmount,
  /** Share of the transaction value burned, in basis points. */
  rateBps: zBps,
})

export const stakingTierSchema = z.strictObject({
  id: zId,
  /** Minimum lock, in months, to reach this tier. */
  minLockMonths: zMonths,
  /** Minimum stake (token base units) to reach this tier. */
  minAmount: zAmount,
  governanceMultiplierPpm: zPpm,
  feeDiscountBps: zBps,
  priority: z.enum(['standard', 'priority', 'express']),
})

export const governanceConfigSchema = z.strictObject({
  /** Share of the eligible voting weight that must take part (for + against + abstain). */
  quorumBps: zBps,
  /** Share of for / (for + against) needed to pass; a proposal passes only strictly above it. */
  approvalBps: zBps,
})

export const incentivesConfigSchema = z.strictObject({
  points: z.record(zId, z.number().int().min(0)),
  /** Most points a patient can earn in one month (MONTH-long windows from genesis). */
  maxPointsPerPatientPerMonth: z.number().int().min(0),
  /** Most points a patient can earn in their lifetime. */
  maxPointsPerPatient: z.number().int().min(0),
  /** Token base units paid per point, from the community pool. */
  tokensPerPoint: zAmount,
})

export const engineConfigSchema = z
  .strictObject({
    /** Schema version of this config; bumped when a field changes meaning. */
    version: z.literal(1),
    /** Label of the business-model revision these numbers come from. */
    model: z.string().min(1),
    token: z.strictObject({
      symbol: z.string().min(1),
      decimals: z.number().int().min(0).max(36),
      totalSupply: zAmount.refine((v) => v > 0n, 'must be positive'),
      /** Token generation event: vesting and emission start here (unix seconds). */
      genesis: zSeconds,
    }),
    allocation: z.array(allocationEntrySchema).min(1),
    emission: emissionConfigSchema,
    revenueSplit: splitSchema,
    computePricing: computePricingSchema,
    dividend: dividendConfigSchema,
    fees: feesConfigSchema,
    burns: burnConfigSchema,
    staking: z.strictObject({ tiers: z.array(stakingTierSchema).min(1) }),
    governance: governanceConfigSchema,
    incentives: incentivesConfigSchema,
  })
  .superRefine((config, ctx) => {
    const issue = (path: PropertyKey[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message })

    const shares = config.allocation.reduce((sum, entry) => sum + entry.shareBps, 0)
    if (shares !== 10_000)
      issue(['allocation'], `shares must sum to exactly 10000 bps (100%), got ${shares}`)
    const ids = new Set<string>()
    config.allocation.forEach((entry, i) => {
      if (ids.has(entry.id)) issue(['allocation', i, 'id'], `duplicate id "${entry.id}"`)
      ids.add(entry.id)
      const release = entry.release
      if (release.kind === 'milestones') {
        const sum = release.milestones.reduce((s, m) => s + m.shareBps, 0)
        if (sum !== 10_000)
          issue(
            ['allocation', i, 'release', 'milestones'],
            `milestone shares must sum to 10000 bps, got ${sum}`,
          )
        release.milestones.forEach((m, j) => {
          if (m.notBeforeMonths > release.durationMonths)
            issue(
              ['allocation', i, 'release', 'milestones', j, 'notBeforeMonths'],
              'must not be after the end of the release',
            )
        })
      }
      if (entry.release.kind === 'linear' && entry.release.cliffMonths !== undefined) {
        const end = entry.release.delayMonths + entry.release.durationMonths
        if (entry.release.cliffMonths > end)
          issue(['allocation', i, 'release', 'cliffMonths'], 'cliff must not be after the end')
      }
    })
    const emission = config.allocation.filter((e) => e.release.kind === 'emission').length
    if (emission !== 1)
      issue(['allocation'], `exactly one entry must have release kind "emission", got ${emission}`)

    const split = config.revenueSplit
    const splitSum =
      split.contributorsBps + split.devFundBps + split.foundationBps + split.reserveBps
    if (splitSum !== 10_000)
      issue(['revenueSplit'], `shares must sum to exactly 10000 bps, got ${splitSum}`)

    const bounded: [PropertyKey[], { minPpm: number; maxPpm: number }][] = [
      [['dividend', 'uptime'], config.dividend.uptime],
      [['dividend', 'qos'], config.dividend.qos],
      [['dividend', 'region'], config.dividend.region],
      [['dividend', 'energy'], config.dividend.energy],
    ]
    for (const [path, { minPpm, maxPpm }] of bounded)
      if (minPpm > maxPpm) issue([...path, 'minPpm'], 'must not exceed maxPpm')
    if (config.dividend.qos.targetLatencyMs >= config.dividend.qos.maxLatencyMs)
      issue(['dividend', 'qos', 'targetLatencyMs'], 'must be below maxLatencyMs')
    if (config.dividend.uptime.floorPpm >= 1_000_000)
      issue(['dividend', 'uptime', 'floorPpm'], 'must be below 1000000 (100%)')

    const minting = config.fees.tokenization.minting
    if (minting.minBps > minting.maxBps)
      issue(['fees', 'tokenization', 'minting', 'minBps'], 'must not exceed maxBps')
    const liquidity = config.fees.tokenization.liquidityManagement
    if (
      liquidity.defaultAnnualBps < liquidity.minAnnualBps ||
      liquidity.defaultAnnualBps > liquidity.maxAnnualBps
    )
      issue(
        ['fees', 'tokenization', 'liquidityManagement', 'defaultAnnualBps'],
        'must lie between minAnnualBps and maxAnnualBps',
      )
    for (const [path, tiers] of [
      [['fees', 'tokenization', 'secondary'], config.fees.tokenization.secondary],
      [['fees', 'payfi', 'standard'], config.fees.payfi.standard],
    ] as const) {
      if (tiers[0]?.minAmount !== 0n)
        issue([...path, 0, 'minAmount'], 'the first tier must start at 0')
      tiers.forEach((tier, i) => {
        if (i > 0 && tier.minAmount <= tiers[i - 1]!.minAmount)
          issue([...path, i, 'minAmount'], 'tiers must be in increasing order of minAmount')
      })
    }
    if (config.fees.tokenization.minting.valuation[0]?.minValue !== 0n)
      issue(['fees', 'tokenization', 'minting', 'valuation', 0, 'minValue'], 'must start at 0')

    const tiers = config.staking.tiers
    if (tiers[0]?.minLockMonths !== 0 || tiers[0]?.minAmount !== 0n)
      issue(['staking', 'tiers', 0], 'the first tier must need no lock and no minimum stake')
    tiers.forEach((tier, i) => {
      const previous = tiers[i - 1]
      if (
        previous &&
        (tier.minLockMonths < previous.minLockMonths || tier.minAmount < previous.minAmount)
      )
        issue(['staking', 'tiers', i], 'tiers must be in non-decreasing order of lock and amount')
      if (previous && tier.governanceMultiplierPpm < previous.governanceMultiplierPpm)
        issue(['staking', 'tiers', i, 'governanceMultiplierPpm'], 'must not fall in a higher tier')
    })
    if (config.emission.epochLength > config.emission.duration)
      issue(['emission', 'epochLength'], 'must not exceed the duration')
  })

/** A validated engine config. */
export type EngineConfig = z.output<typeof engineConfigSchema>
/** What a caller may write: amounts as bigint or decimal strings. */
export type EngineConfigInput = z.input<typeof engineConfigSchema>
export type AllocationEntry = EngineConfig['allocation'][number]
export type Release = AllocationEntry['release']
export type EmissionConfig = EngineConfig['emission']
export type EmissionCurve = z.output<typeof emissionCurveSchema>
export type DividendConfig = EngineConfig['dividend']
export type ComputePricing = EngineConfig['computePricing']
export type FeesConfig = EngineConfig['fees']
export type BurnConfig = EngineConfig['burns']
export type StakingTier = EngineConfig['staking']['tiers'][number]
export type GovernanceConfig = EngineConfig['governance']
export type IncentivesConfig = EngineConfig['incentives']
export type RevenueSplitConfig = EngineConfig['revenueSplit']

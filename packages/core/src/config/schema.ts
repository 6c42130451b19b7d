import { z } from 'zod'
import { linearReleaseSchema, milestoneReleaseSchema } from '../vesting/schema.js'
import { zAmount, zBps, zId, zMonths, zMultiplierBps, zPpm, zSeconds } from './primitives.js'
import { checkAllocation, checkDividend, checkFees, checkStaking } from './refinements.js'

const emissionRelease = z.strictObject({ kind: z.literal('emission') })
const participationRelease = z.strictObject({ kind: z.literal('participation') })
const discretionaryRelease = z.strictObject({ kind: z.literal('discretionary') })

export const releaseSchema = z.discriminatedUnion('kind', [
  linearReleaseSchema,
  milestoneReleaseSchema,
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

export const emissionConfigSchema = z
  .strictObject({
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
  .superRefine((e, ctx) => {
    if (e.epochLength > e.duration)
      ctx.addIssue({
        code: 'custom',
        path: ['epochLength'],
        message: 'must not exceed the duration',
      })
  })

export const revenueSplitSchema = z
  .strictObject({
    contributorsBps: zBps,
    devFundBps: zBps,
    foundationBps: zBps,
    reserveBps: zBps,
  })
  .superRefine((split, ctx) => {
    const sum = split.contributorsBps + split.devFundBps + split.foundationBps + split.reserveBps
    if (sum !== 10_000)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `shares must sum to exactly 10000 bps, got ${sum}`,
      })
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

/** Electrical power in whole watts, 0..10,000 (one accelerator, not a rack). */
const zWatts = z.number().int().min(0).max(10_000)

export const dividendConfigSchema = z
  .strictObject({
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
      /**
       * Power draw (W) of the reference accelerator that compute is billed for (a billed
       * GPU-second is one second of its work): a node doing that work at this draw scores
       * `referenceGflopsPerWatt`. 1..10,000.
       */
      referenceWatts: z.number().int().min(1).max(10_000),
      /**
       * The least power (W) credited to a node, by backend class (`cpu`, `cuda`, `webgpu`, …);
       * `other` is required and applies to every class not listed. Declaring less than the floor
       * earns nothing. Each floor is 0..`referenceWatts`.
       */
      minWatts: z.record(zId, zWatts),
    }),
  })
  .superRefine(checkDividend)

const feeTier = z.strictObject({ minAmount: zAmount, bps: zBps })

export const feesConfigSchema = z
  .strictObject({
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
  .superRefine(checkFees)

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

export const stakingConfigSchema = z
  .strictObject({ tiers: z.array(stakingTierSchema).min(1) })
  .superRefine(checkStaking)

export const allocationSchema = z.array(allocationEntrySchema).min(1).superRefine(checkAllocation)

export const incentivesConfigSchema = z.strictObject({
  points: z.record(zId, z.number().int().min(0)),
  /** Most points a patient can earn in one month (MONTH-long windows from genesis). */
  maxPointsPerPatientPerMonth: z.number().int().min(0),
  /** Most points a patient can earn in their lifetime. */
  maxPointsPerPatient: z.number().int().min(0),
  /** Token base units paid per point, from the community pool. */
  tokensPerPoint: zAmount,
})

export const settlementConfigSchema = z
  .strictObject({
    /** Seconds between scheduled settlement runs (default 1 hour: a capture is paid in 1–2 hours). */
    intervalSeconds: zSeconds.min(1),
    /** Blocks on top of and including the payout's block before the ledger posts it (default 2). */
    confirmations: z.number().int().min(1).max(100),
    /** Seconds a batch waits for its confirmations before it is left in flight for recovery. */
    confirmTimeoutSeconds: zSeconds.min(1),
    /** Reconciliation reports a batch reserved longer than this as `pending_too_long`. */
    maxPendingSeconds: zSeconds.min(1),
  })
  .superRefine((s, ctx) => {
    if (s.maxPendingSeconds < s.confirmTimeoutSeconds)
      ctx.addIssue({
        code: 'custom',
        path: ['maxPendingSeconds'],
        message: 'must not be shorter than confirmTimeoutSeconds',
      })
  })

/** Each section of an engine config, with its own checks. */
export const configSections = {
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
  allocation: allocationSchema,
  emission: emissionConfigSchema,
  revenueSplit: revenueSplitSchema,
  computePricing: computePricingSchema,
  dividend: dividendConfigSchema,
  fees: feesConfigSchema,
  burns: burnConfigSchema,
  staking: stakingConfigSchema,
  governance: governanceConfigSchema,
  incentives: incentivesConfigSchema,
  /** PayFi settlement: the schedule and the confirmations a payout needs. */
  settlement: settlementConfigSchema,
}

/** The whole engine config. Every check lives in its section, so a section validates alone. */
export const engineConfigSchema = z.strictObject(configSections)

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
export type SettlementConfig = EngineConfig['settlement']

import { DAY, ONE_TOKEN, TOTAL_SUPPLY, YEAR } from '../constants.js'
import type { EngineConfigInput } from './schema.js'

const CNY = 100n // minor units (fen) per yuan

/**
 * The business model's numbers, as a config input. Validated into {@link defaultConfig}.
 *
 * The model's allocation table sums to 89%; the remaining 11% is kept as an explicit
 * `unassigned` entry (locked, not circulating) until the model assigns it, so that the
 * table still sums to exactly the total supply.
 */
export const defaultConfigInput = {
  version: 1,
  model: 'btt-business-model-2026',
  token: {
    symbol: 'BTT',
    decimals: 18,
    totalSupply: TOTAL_SUPPLY,
    genesis: 1_767_225_600, // 2026-01-01T00:00:00Z
  },
  allocation: [
    {
      id: 'bithive',
      label: 'BitHive',
      shareBps: 1000,
      release: { kind: 'linear', delayMonths: 6, durationMonths: 36 },
    },
    {
      id: 'china-digital-healthcare-group',
      label: 'China Digital Healthcare Group',
      shareBps: 400,
      release: { kind: 'linear', delayMonths: 3, durationMonths: 30 },
    },
    {
      id: 'bitwave-protocol-labs',
      label: 'BitWave Protocol Labs',
      shareBps: 300,
      release: { kind: 'linear', delayMonths: 3, durationMonths: 30 },
    },
    {
      id: 'm-dao',
      label: 'M DAO',
      shareBps: 200,
      release: { kind: 'linear', delayMonths: 3, durationMonths: 30 },
    },
    {
      id: 'web3-ventures',
      label: 'Web3 Ventures',
      shareBps: 200,
      release: { kind: 'linear', delayMonths: 3, durationMonths: 30 },
    },
    {
      id: 'other-institutional',
      label: 'Other institutional investors',
      shareBps: 200,
      release: { kind: 'linear', delayMonths: 3, durationMonths: 30 },
    },
    {
      id: 'technology-foundation',
      label: 'Technology development foundation',
      shareBps: 1700,
      release: {
        kind: 'milestones',
        durationMonths: 48,
        milestones: [
          {
            id: 'year-1',
            description: 'Platform v1 in production',
            shareBps: 2500,
            notBeforeMonths: 12,
          },
          {
            id: 'year-2',
            description: 'Compute network at scale',
            shareBps: 2500,
            notBeforeMonths: 24,
          },
          {
            id: 'year-3',
            description: 'PayFi and tokenization live',
            shareBps: 2500,
            notBeforeMonths: 36,
          },
          {
            id: 'year-4',
            description: 'Ecosystem handed to governance',
            shareBps: 2500,
            notBeforeMonths: 48,
          },
        ],
      },
    },
    {
      id: 'mining-pool',
      label: 'Mining reward pool',
      shareBps: 3000,
      release: { kind: 'emission' },
    },
    {
      id: 'community-incentives',
      label: 'Community incentives',
      shareBps: 1200,
      release: { kind: 'participation' },
    },
    {
      id: 'ecosystem-fund',
      label: 'Ecosystem development fund',
      shareBps: 700,
      release: { kind: 'discretionary' },
    },
    {
      id: 'unassigned',
      label: 'Unassigned (the model table sums to 89%)',
      shareBps: 1100,
      release: { kind: 'discretionary' },
    },
  ],
  emission: {
    curve: 'halving',
    duration: 8 * YEAR,
    epochLength: DAY,
    halvingPeriod: 2 * YEAR,
    halfLife: 6 * YEAR,
  },
  revenueSplit: { contributorsBps: 7000, devFundBps: 1500, foundationBps: 1000, reserveBps: 500 },
  computePricing: {
    currency: 'CNY',
    minorDecimals: 2,
    pricePerGpuHour: 12n * CNY,
    pricePerExaflop: 11n * CNY,
    pricePerGib: CNY / 2n,
    urgency: { routine: 10_000, urgent: 15_000, stat: 25_000 },
    hardware: { standard: 0, 'tensor-core': 1_000, 'high-memory': 2_000, 'multi-gpu': 3_000 },
    minimumCharge: 1n * CNY,
  },
  dividend: {
    acceleratorUnits: 100,
    uptime: { minPpm: 0, maxPpm: 1_000_000, floorPpm: 900_000 },
    qos: {
      minPpm: 500_000,
      maxPpm: 1_200_000,
      targetLatencyMs: 200,
      maxLatencyMs: 2_000,
      targetThroughput: 60,
    },
    region: {
      minPpm: 300_000,
      maxPpm: 1_500_000,
      bonusPpm: { 'cn-west': 1_300_000, 'cn-northeast': 1_200_000, 'cn-central': 1_100_000 },
      targetNodesPerRegion: 100,
    },
    // compute is billed in seconds of a 300 W reference accelerator; power is declared, so it is
    // credited no lower than a class floor (a small CPU box, an entry GPU), or declaring 1 W wins
    energy: {
      minPpm: 800_000,
      maxPpm: 1_200_000,
      referenceGflopsPerWatt: 50,
      referenceWatts: 300,
      minWatts: { cpu: 30, other: 75 },
    },
  },
  fees: {
    tokenization: {
      minting: {
        baseBps: 100,
        minBps: 100,
        maxBps: 300,
        complexity: { low: 0, medium: 50, high: 100 },
        regulatory: { standard: 0, regulated: 50, 'highly-regulated': 100 },
        valuation: [
          { minValue: 0n, bps: 50 },
          { minValue: 1_000_000n * CNY, bps: 25 },
          { minValue: 10_000_000n * CNY, bps: 0 },
        ],
      },
      secondary: [
        { minAmount: 0n, bps: 100 },
        { minAmount: 100_000n * CNY, bps: 75 },
        { minAmount: 1_000_000n * CNY, bps: 50 },
      ],
      revaluation: { standard: 25, complex: 50 },
      liquidityManagement: {
        minAnnualBps: 100,
        maxAnnualBps: 200,
        defaultAnnualBps: 150,
        daysPerYear: 365,
      },
      premiumListingBpsPerMonth: 5,
    },
    payfi: {
      standard: [
        { minAmount: 0n, bps: 80 },
        { minAmount: 1_000_000n * CNY, bps: 65 },
        { minAmount: 10_000_000n * CNY, bps: 50 },
      ],
      fxBps: 75,
      analyticsBps: 25,
    },
    subscriptions: {
      currency: 'CNY',
      monthly: {
        'clinic-small': 3_000n * CNY,
        'clinic-medium': 8_000n * CNY,
        hospital: 15_000n * CNY,
        'hospital-network': 25_000n * CNY,
      },
      annualPrepayDiscountBps: 0,
    },
  },
  burns: { thresholdValue: 100_000n * ONE_TOKEN, rateBps: 10 },
  staking: {
    tiers: [
      {
        id: 'none',
        minLockMonths: 0,
        minAmount: 0n,
        governanceMultiplierPpm: 1_000_000,
        feeDiscountBps: 0,
        priority: 'standard',
      },
      {
        id: 'bronze',
        minLockMonths: 3,
        minAmount: 1_000n * ONE_TOKEN,
        governanceMultiplierPpm: 1_250_000,
        feeDiscountBps: 1_000,
        priority: 'standard',
      },
      {
        id: 'silver',
        minLockMonths: 12,
        minAmount: 10_000n * ONE_TOKEN,
        governanceMultiplierPpm: 1_500_000,
        feeDiscountBps: 2_000,
        priority: 'priority',
      },
      {
        id: 'gold',
        minLockMonths: 24,
        minAmount: 100_000n * ONE_TOKEN,
        governanceMultiplierPpm: 2_000_000,
        feeDiscountBps: 3_000,
        priority: 'express',
      },
    ],
  },
  governance: { quorumBps: 2_000, approvalBps: 5_000 },
  incentives: {
    points: { 'preventive-visit': 100, 'treatment-adherence': 20, 'healthy-lifestyle': 5 },
    maxPointsPerPatientPerMonth: 500,
    maxPointsPerPatient: 20_000,
    tokensPerPoint: ONE_TOKEN / 10n,
  },
  // hourly runs pay a capture within one to two hours (the aim); 2 confirmations suit
  // tests and fast L2s, a slower chain needs more
  settlement: {
    intervalSeconds: 3_600,
    confirmations: 2,
    confirmTimeoutSeconds: 15 * 60,
    maxPendingSeconds: 2 * 3_600,
  },
} as const satisfies EngineConfigInput

import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { defaultConfig } from '../config/parseConfig.js'
import { CoreError } from '../errors.js'
import { type ContributorNode, dividendShares } from './dividendShares.js'

const coreError = (code: string) => expect.objectContaining({ name: 'CoreError', code })

const base: ContributorNode = {
  id: 'n',
  region: 'cn-east',
  gpuUnits: 100,
  accelerators: 0,
  uptimePpm: 1_000_000,
  latencyMs: 100,
  throughput: 60,
  gflopsPerWatt: 50,
}

describe('dividendShares', () => {
  test('a fully reliable node at reference efficiency has all factors 1.0 (qos at its max)', () => {
    const { shares } = dividendShares([base], 1_000n)
    expect(shares[0]!.factors).toEqual({
      computeUnits: 100n,
      uptimePpm: 1_000_000n,
      qosPpm: 1_200_000n,
      regionPpm: 1_000_000n,
      energyPpm: 1_000_000n,
    })
    expect(shares[0]!.amount).toBe(1_000n)
  })

  test('three nodes: factors explain the amounts', () => {
    const nodes = [
      { ...base, id: 'home', gpuUnits: 80, uptimePpm: 950_000, latencyMs: 650, throughput: 30 },
      { ...base, id: 'west', region: 'cn-west', gpuUnits: 80, accelerators: 1 },
      { ...base, id: 'green', gpuUnits: 80, gflopsPerWatt: 100 },
    ]
    const result = dividendShares(nodes, 1_000_000n)
    const [home, west, green] = result.shares
    expect(home!.factors.uptimePpm).toBe(500_000n) // halfway from the 90% floor
    expect(home!.factors.qosPpm).toBe(937_500n) // latency 0.75, throughput 0.5: 0.5 + 0.7 × 0.625
    expect(west!.factors.computeUnits).toBe(180n)
    expect(west!.factors.regionPpm).toBe(1_300_000n)
    expect(green!.factors.energyPpm).toBe(1_200_000n) // 2x reference, capped
    expect(result.shares.reduce((s, x) => s + x.amount, 0n)).toBe(1_000_000n)
    const exact = (x: typeof home) => (x!.score * 1_000_000n) / result.totalScore
    for (const s of result.shares) expect(s.amount - exact(s) <= 1n).toBe(true)
  })

  test('crowded regions are damped (HIP-17 style), within the bounds', () => {
    const crowd = Array.from({ length: 400 }, (_, i) => ({
      ...base,
      id: `c${i}`,
      region: 'cn-east',
    }))
    const alone = { ...base, id: 'alone', region: 'cn-south' }
    const { shares } = dividendShares([...crowd, alone], 10n ** 18n)
    expect(shares[0]!.factors.regionPpm).toBe(300_000n) // 100/400 = 0.25, floored at 0.3
    expect(shares.at(-1)!.factors.regionPpm).toBe(1_000_000n)
    expect(shares.at(-1)!.amount > shares[0]!.amount * 3n).toBe(true)
  })

  test('bad telemetry and all-zero scores are typed errors', () => {
    expect(() => dividendShares([{ ...base, uptimePpm: 2_000_000 }], 1n)).toThrow(
      coreError('CORE_INVALID_ARGUMENT'),
    )
    expect(() => dividendShares([], 1n)).toThrow(coreError('CORE_INVALID_ARGUMENT'))
    expect(() => dividendShares([{ ...base, gpuUnits: 0 }], 1n)).toThrow(
      coreError('CORE_NO_ELIGIBLE_NODES'),
    )
  })
})

const node = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  region: fc.constantFrom('cn-east', 'cn-west', 'cn-central', 'cn-south'),
  gpuUnits: fc.integer({ min: 0, max: 2_000 }),
  accelerators: fc.integer({ min: 0, max: 8 }),
  uptimePpm: fc.integer({ min: 0, max: 1_000_000 }),
  latencyMs: fc.integer({ min: 0, max: 5_000 }),
  throughput: fc.integer({ min: 0, max: 200 }),
  gflopsPerWatt: fc.integer({ min: 0, max: 200 }),
})
const nodes = fc.array(node, { minLength: 1, maxLength: 25 })
const pool = fc.bigInt({ min: 0n, max: 10n ** 24n })

type Bump = {
  field: keyof ContributorNode
  apply: (n: ContributorNode, by: number) => ContributorNode
}
const bumps: Bump[] = [
  { field: 'gpuUnits', apply: (n, by) => ({ ...n, gpuUnits: n.gpuUnits + by }) },
  {
    field: 'accelerators',
    apply: (n, by) => ({ ...n, accelerators: (n.accelerators ?? 0) + (by % 4) }),
  },
  {
    field: 'uptimePpm',
    apply: (n, by) => ({ ...n, uptimePpm: Math.min(1_000_000, n.uptimePpm + by * 100) }),
  },
  { field: 'latencyMs', apply: (n, by) => ({ ...n, latencyMs: Math.max(0, n.latencyMs - by) }) },
  { field: 'throughput', apply: (n, by) => ({ ...n, throughput: n.throughput + by }) },
  { field: 'gflopsPerWatt', apply: (n, by) => ({ ...n, gflopsPerWatt: n.gflopsPerWatt + by }) },
  { field: 'region', apply: (n) => ({ ...n, region: 'cn-west' }) }, // a bonus region, alone or not
]

/**
 * `fn()`, or the case is discarded with `fc.pre` when the pool cannot be split (every node scored
 * zero): a discarded case is counted by fast-check, not passed silently. Any other error fails.
 */
function sharesOrSkip<T>(fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    fc.pre(!(error instanceof CoreError && error.code === 'CORE_NO_ELIGIBLE_NODES'))
    throw error
  }
}

describe('dividendShares properties', () => {
  test('amounts sum to exactly the pool', () => {
    fc.assert(
      fc.property(nodes, pool, (ns, p) => {
        const result = sharesOrSkip(() => dividendShares(ns, p))
        expect(result.shares.reduce((s, x) => s + x.amount, 0n)).toBe(p)
      }),
      { numRuns: 3000 },
    )
  })

  test('each factor stays within its bounds', () => {
    const c = defaultConfig.dividend
    fc.assert(
      fc.property(nodes, (ns) => {
        fc.pre(ns.some((n) => n.gpuUnits + n.accelerators > 0))
        for (const { factors: f } of sharesOrSkip(() => dividendShares(ns, 1n)).shares) {
          for (const [value, b] of [
            [f.uptimePpm, c.uptime],
            [f.qosPpm, c.qos],
            [f.regionPpm, c.region],
            [f.energyPpm, c.energy],
          ] as const)
            expect(value >= BigInt(b.minPpm) && value <= BigInt(b.maxPpm)).toBe(true)
        }
      }),
      { numRuns: 2000 },
    )
  })

  test("raising any one of a node's factors never lowers its score or exact share, and its amount by at most one unit", () => {
    fc.assert(
      fc.property(
        nodes,
        pool,
        fc.nat(),
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom(...bumps),
        (ns, p, pick, by, bump) => {
          const i = pick % ns.length
          const before = ns
          const after = ns.map((n, j) => (j === i ? bump.apply(n, by) : n))
          // moving region changes crowding of others; keep the property to the node's own factors
          fc.pre(
            bump.field !== 'region' || before.filter((n) => n.region === 'cn-west').length < 100,
          )
          const a = sharesOrSkip(() => dividendShares(before, p))
          const b = sharesOrSkip(() => dividendShares(after, p))
          const sa = a.shares[i]!
          const sb = b.shares[i]!
          if (bump.field !== 'region') expect(sb.score >= sa.score).toBe(true)
          // exact share: score / totalScore
          expect(sb.score * a.totalScore >= sa.score * b.totalScore).toBe(true)
          expect(sb.amount + 1n >= sa.amount).toBe(true)
        },
      ),
      { numRuns: 3000 },
    )
  })
})

describe('grouped nodes (count)', () => {
  test('a group of k identical nodes earns what k separate nodes earn together', () => {
    fc.assert(
      fc.property(node, fc.integer({ min: 1, max: 150 }), node, pool, (n, k, other, p) => {
        const grouped = { ...n, id: 'g', count: k }
        const separate = Array.from({ length: k }, (_, i) => ({ ...n, id: `s${i}` }))
        const a = sharesOrSkip(() => dividendShares([grouped, other], p))
        const b = sharesOrSkip(() => dividendShares([...separate, other], p))
        expect(a.shares[0]!.regionNodes).toBe(b.shares[0]!.regionNodes)
        const total = b.shares.slice(0, k).reduce((s, x) => s + x.amount, 0n)
        const diff = a.shares[0]!.amount - total
        expect(diff <= BigInt(k) && diff >= -BigInt(k)).toBe(true) // rounding only
        expect(a.shares[1]!.amount - b.shares[k]!.amount <= 1n).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  test('crowding counts every node of a group', () => {
    const { shares } = dividendShares([{ ...base, count: 400 }], 10n)
    expect(shares[0]!.regionNodes).toBe(400)
    expect(shares[0]!.factors.regionPpm).toBe(300_000n)
  })
})

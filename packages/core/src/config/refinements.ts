import type { z } from 'zod'

/**
 * The cross-field checks of each config section, applied by the section's schema in
 * `schema.ts` (so a section checked on its own, as a function that uses only that section does
 * for a config that skipped `parseConfig`, gets the same checks as a whole config).
 */

type Ctx = z.RefinementCtx
type Path = (string | number)[]

function issue(ctx: Ctx, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message })
}

type Bounded = { minPpm: number; maxPpm: number }

/**
 * Dividend factors: each min ≤ max, latency target below its max, uptime floor below 100%;
 * energy power floors include `other` and none exceeds the reference accelerator's draw.
 */
export function checkDividend(
  d: {
    uptime: Bounded & { floorPpm: number }
    qos: Bounded & { targetLatencyMs: number; maxLatencyMs: number }
    region: Bounded
    energy: Bounded & { referenceWatts: number; minWatts: Record<string, number> }
  },
  ctx: Ctx,
): void {
  for (const key of ['uptime', 'qos', 'region', 'energy'] as const)
    if (d[key].minPpm > d[key].maxPpm) issue(ctx, [key, 'minPpm'], 'must not exceed maxPpm')
  if (d.qos.targetLatencyMs >= d.qos.maxLatencyMs)
    issue(ctx, ['qos', 'targetLatencyMs'], 'must be below maxLatencyMs')
  if (d.uptime.floorPpm >= 1_000_000)
    issue(ctx, ['uptime', 'floorPpm'], 'must be below 1000000 (100%)')
  const { referenceWatts, minWatts } = d.energy
  if (!Object.hasOwn(minWatts, 'other'))
    issue(ctx, ['energy', 'minWatts', 'other'], 'required: the floor of every class not listed')
  for (const [backend, watts] of Object.entries(minWatts))
    if (watts > referenceWatts)
      issue(ctx, ['energy', 'minWatts', backend], 'must not exceed referenceWatts')
}

type Tier = { minAmount: bigint }

function checkTiers(ctx: Ctx, path: Path, tiers: readonly Tier[]): void {
  if (tiers[0]?.minAmount !== 0n)
    issue(ctx, [...path, 0, 'minAmount'], 'the first tier must start at 0')
  tiers.forEach((tier, i) => {
    if (i > 0 && tier.minAmount <= tiers[i - 1]!.minAmount)
      issue(ctx, [...path, i, 'minAmount'], 'tiers must be in increasing order of minAmount')
  })
}

/** Fees: minting min ≤ max, the liquidity default within its range, tiers ascending from 0. */
export function checkFees(
  f: {
    tokenization: {
      minting: { minBps: number; maxBps: number; valuation: readonly { minValue: bigint }[] }
      secondary: readonly Tier[]
      liquidityManagement: { minAnnualBps: number; maxAnnualBps: number; defaultAnnualBps: number }
    }
    payfi: { standard: readonly Tier[] }
  },
  ctx: Ctx,
): void {
  const minting = f.tokenization.minting
  if (minting.minBps > minting.maxBps)
    issue(ctx, ['tokenization', 'minting', 'minBps'], 'must not exceed maxBps')
  const l = f.tokenization.liquidityManagement
  if (l.defaultAnnualBps < l.minAnnualBps || l.defaultAnnualBps > l.maxAnnualBps)
    issue(
      ctx,
      ['tokenization', 'liquidityManagement', 'defaultAnnualBps'],
      'must lie between minAnnualBps and maxAnnualBps',
    )
  checkTiers(ctx, ['tokenization', 'secondary'], f.tokenization.secondary)
  checkTiers(ctx, ['payfi', 'standard'], f.payfi.standard)
  if (minting.valuation[0]?.minValue !== 0n)
    issue(ctx, ['tokenization', 'minting', 'valuation', 0, 'minValue'], 'must start at 0')
}

/** Staking: the first tier needs nothing; later tiers need no less and give no less weight. */
export function checkStaking(
  s: {
    tiers: readonly { minLockMonths: number; minAmount: bigint; governanceMultiplierPpm: number }[]
  },
  ctx: Ctx,
): void {
  const tiers = s.tiers
  if (tiers[0]?.minLockMonths !== 0 || tiers[0]?.minAmount !== 0n)
    issue(ctx, ['tiers', 0], 'the first tier must need no lock and no minimum stake')
  tiers.forEach((tier, i) => {
    const previous = tiers[i - 1]
    if (!previous) return
    if (tier.minLockMonths < previous.minLockMonths || tier.minAmount < previous.minAmount)
      issue(ctx, ['tiers', i], 'tiers must be in non-decreasing order of lock and amount')
    if (tier.governanceMultiplierPpm < previous.governanceMultiplierPpm)
      issue(ctx, ['tiers', i, 'governanceMultiplierPpm'], 'must not fall in a higher tier')
  })
}

/** Allocation: shares sum to 100%, ids unique, exactly one emission entry. */
export function checkAllocation(
  entries: readonly { id: string; shareBps: number; release: { kind: string } }[],
  ctx: Ctx,
): void {
  const shares = entries.reduce((sum, entry) => sum + entry.shareBps, 0)
  if (shares !== 10_000)
    issue(ctx, [], `shares must sum to exactly 10000 bps (100%), got ${shares}`)
  const ids = new Set<string>()
  entries.forEach((entry, i) => {
    if (ids.has(entry.id)) issue(ctx, [i, 'id'], `duplicate id "${entry.id}"`)
    ids.add(entry.id)
  })
  const emission = entries.filter((e) => e.release.kind === 'emission').length
  if (emission !== 1)
    issue(ctx, [], `exactly one entry must have release kind "emission", got ${emission}`)
}

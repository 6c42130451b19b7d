import {
  allocationAmounts,
  type ContributorNode,
  circulatingSupply,
  DAY,
  defaultConfig,
  dividendShares,
  type EngineConfig,
  epochEmission,
  formatUnits,
  MONTH,
  miningEmissionSchedule,
  quoteCompute,
  splitRevenue,
} from '@btt/core'

const tokens = (amount: bigint, config: EngineConfig) =>
  `${Number(formatUnits(amount, config.token.decimals)).toLocaleString('en-US', { maximumFractionDigits: 2 })} ${config.token.symbol}`
const pct = (part: bigint, whole: bigint) =>
  `${(Number((part * 10_000n) / whole) / 100).toFixed(2)}%`
const table = (rows: string[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  '),
    )
    .join('\n')
}

/** The three example nodes of the dividend breakdown. */
export const exampleNodes: ContributorNode[] = [
  {
    id: 'home-rig (2 GPUs)',
    region: 'cn-east',
    gpuUnits: 160,
    uptimePpm: 960_000,
    latencyMs: 420,
    throughput: 35,
    gflopsPerWatt: 40,
  },
  {
    id: 'clinic-dc (8 GPUs)',
    region: 'cn-west',
    gpuUnits: 640,
    accelerators: 2,
    uptimePpm: 995_000,
    latencyMs: 180,
    throughput: 120,
    gflopsPerWatt: 55,
  },
  {
    id: 'campus (4 GPUs)',
    region: 'cn-central',
    gpuUnits: 320,
    uptimePpm: 999_000,
    latencyMs: 250,
    throughput: 70,
    gflopsPerWatt: 75,
  },
]

/**
 * The economic engine's walkthrough, as text: the allocation table, the unlock curve at a few
 * dates, a 100-unit revenue split, and the dividend breakdown for three example nodes.
 */
export function walkthrough(config: EngineConfig = defaultConfig): string {
  const out: string[] = []
  const supply = config.token.totalSupply
  out.push(`BTT economic engine — config v${config.version} (${config.model})`, '')

  out.push(`1. Allocation of the ${tokens(supply, config)} supply`)
  const release = (r: EngineConfig['allocation'][number]['release']) => {
    switch (r.kind) {
      case 'linear':
        return `${r.durationMonths}-month linear after a ${r.delayMonths}-month delay`
      case 'milestones':
        return `${r.durationMonths}-month release, ${r.milestones.length} attested milestones`
      case 'emission':
        return `mining emission (${config.emission.curve}, ${Math.round(config.emission.duration / (12 * MONTH))} years)`
      case 'participation':
        return 'continuous, by participation'
      case 'discretionary':
        return 'released at discretion'
    }
  }
  out.push(
    table([
      ['allocation', 'share', 'tokens', 'release'],
      ...allocationAmounts(config).map((a) => [
        a.label,
        `${(a.shareBps / 100).toFixed(1)}%`,
        tokens(a.amount, config),
        release(a.release),
      ]),
    ]),
    '',
  )

  out.push('2. Unlock curve (milestones attested on schedule; no discretionary releases yet)')
  const attest = Object.fromEntries(
    config.allocation.flatMap((a) =>
      a.release.kind === 'milestones'
        ? [
            [
              a.id,
              Object.fromEntries(
                a.release.milestones.map((m) => [
                  m.id,
                  config.token.genesis + m.notBeforeMonths * MONTH,
                ]),
              ),
            ],
          ]
        : [],
    ),
  )
  const months = [0, 3, 6, 12, 24, 36, 48, 96]
  out.push(
    table([
      ['month', 'circulating', 'of supply', 'mining emitted'],
      ...months.map((m) => {
        const at = config.token.genesis + m * MONTH
        const s = circulatingSupply(config, { at, attestations: attest })
        const mined = s.byAllocation.find((a) => a.id === 'mining-pool')?.unlocked ?? 0n
        return [
          String(m),
          tokens(s.circulating, config),
          pct(s.circulating, supply),
          tokens(mined, config),
        ]
      }),
    ]),
    '',
  )

  out.push('3. Splitting 100 units of compute-market revenue')
  const split = splitRevenue(100n, config)
  out.push(
    table([
      ['to', 'units'],
      ['contributors (pro rata to resource supplied)', String(split.contributors)],
      ['development fund', String(split.devFund)],
      ['foundation', String(split.foundation)],
      ['reserve', String(split.reserve)],
    ]),
    '',
  )

  const schedule = miningEmissionSchedule(config)
  const pool = epochEmission(schedule, { epoch: 0 })
  out.push(`4. Dividend for three nodes from day 1's mining emission (${tokens(pool, config)})`)
  const { shares } = dividendShares(exampleNodes, pool, config)
  const f = (ppm: bigint) => (Number(ppm) / 1e6).toFixed(3)
  out.push(
    table([
      ['node', 'compute', 'uptime', 'qos', 'region', 'energy', 'reward'],
      ...shares.map((s) => [
        s.id,
        String(s.factors.computeUnits),
        f(s.factors.uptimePpm),
        f(s.factors.qosPpm),
        f(s.factors.regionPpm),
        f(s.factors.energyPpm),
        tokens(s.amount, config),
      ]),
    ]),
    `(sum of rewards = pool exactly: ${shares.reduce((a, s) => a + s.amount, 0n) === pool})`,
    '',
  )

  const quote = quoteCompute(config.computePricing, {
    gpuSeconds: 45,
    urgency: 'stat',
    dataBytes: 60n * 2n ** 20n,
  })
  out.push(`5. Pricing one STAT chest CT analysis (45 GPU-seconds, 60 MiB) in ${quote.currency}`)
  out.push(
    table([
      ['line', 'amount'],
      ...quote.lines.map((l) => [
        l.description,
        formatUnits(l.amount, config.computePricing.minorDecimals, { trim: false }),
      ]),
      ['total', formatUnits(quote.total, config.computePricing.minorDecimals, { trim: false })],
    ]),
  )
  out.push(
    '',
    `(epoch length ${config.emission.epochLength / DAY} day; all amounts exact bigint base units)`,
  )
  return out.join('\n')
}

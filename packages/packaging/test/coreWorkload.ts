import {
  allocationAmounts,
  BttError,
  defaultConfig,
  dividendShares,
  shareContributorRevenue,
  splitRevenue,
} from '@btt/core'

/**
 * Economics computed with @btt/core, as JSON (bigints written `123n`): run in Node and, bundled
 * for the browser, in headless Chromium; the two must be equal.
 */
export function coreWorkload(): string {
  const amount = 1_000_000_007n
  const split = splitRevenue(amount)
  const contributors = shareContributorRevenue(split.contributors, [3600n, 1800n, 1799n])
  const allocation = allocationAmounts(defaultConfig).map((e) => [e.id, e.amount])
  const dividends = dividendShares(
    [
      {
        id: 'a',
        region: 'cn-east',
        gpuUnits: 80,
        uptimePpm: 999_000,
        latencyMs: 150,
        throughput: 60,
        gflopsPerWatt: 50,
      },
      {
        id: 'b',
        region: 'cn-west',
        gpuUnits: 40,
        uptimePpm: 990_000,
        latencyMs: 400,
        throughput: 30,
        gflopsPerWatt: 40,
      },
    ],
    1_000_003n,
  )
  let refused: unknown
  try {
    splitRevenue(-1n)
  } catch (error) {
    refused = { bttError: error instanceof BttError, code: (error as BttError<string>).code }
  }
  return JSON.stringify({ amount, split, contributors, allocation, dividends, refused }, (_, v) =>
    typeof v === 'bigint' ? `${v}n` : v,
  )
}

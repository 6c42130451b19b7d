import {
  defaultConfig,
  dividendShares,
  epochEmission,
  miningEmissionSchedule,
  quoteCompute,
  shareContributorRevenue,
  splitRevenue,
} from '@btt/core'
import { epochStatementHash } from '@btt/payfi'
import { ComputeError } from '../errors.js'
import { verifyReceipt } from '../network/receipt.js'
import { parseArgs } from '../validate.js'
import { canonicalJson, sha256Hex } from './canonical.js'
import { measuredGflopsPerWatt } from './energy.js'
import { type EpochInput, type EpochReceipt, epochInputSchema } from './epochSchemas.js'

const mismatch = (problems: string[]) =>
  new ComputeError(
    'COMPUTE_STATEMENT_MISMATCH',
    `Epoch inputs are inconsistent: ${problems.join('; ')}.`,
    {
      details: { problems },
    },
  )

/** Bills per clinic and per node from the receipts, each re-priced with quoteCompute. */
function meter(receipts: readonly EpochReceipt[], currency: string) {
  const clinics = new Map<string, { jobs: number; billed: bigint }>()
  const nodes = new Map<
    string,
    { jobs: number; billed: bigint; workSeconds: number; micros: number }
  >()
  const seen = new Set<string>()
  for (const r of receipts) {
    const signer = verifyReceipt(r.signed).toLowerCase()
    const price = quoteCompute(defaultConfig.computePricing, {
      ...r.usage,
      dataBytes: BigInt(r.usage.dataBytes),
    })
    if (seen.has(r.signed.receipt.jobId))
      throw mismatch([`job ${r.signed.receipt.jobId} appears twice`])
    seen.add(r.signed.receipt.jobId)
    if (String(price.total) !== r.billed || r.currency !== currency)
      throw mismatch([
        `job ${r.signed.receipt.jobId} billed ${r.billed} ${r.currency}, quoteCompute says ${price.total} ${currency}`,
      ])
    const c = clinics.get(r.clinic) ?? { jobs: 0, billed: 0n }
    clinics.set(r.clinic, { jobs: c.jobs + 1, billed: c.billed + price.total })
    const n = nodes.get(signer) ?? { jobs: 0, billed: 0n, workSeconds: 0, micros: 0 }
    nodes.set(signer, {
      jobs: n.jobs + 1,
      billed: n.billed + price.total,
      // only jobs with a measured time count towards the measured speed
      workSeconds: n.workSeconds + (r.measuredMicros ? r.usage.gpuSeconds : 0),
      micros: n.micros + (r.measuredMicros ?? 0),
    })
  }
  return { clinics, nodes }
}

/**
 * Turns an epoch's paid receipts and the coordinator's measurements into an epoch statement:
 * usage per clinic re-priced with `quoteCompute`, revenue split with `splitRevenue` (the
 * contributors' part shared pro rata to what each node's paid jobs billed), the epoch's
 * `epochEmission` split with `dividendShares` by each node's measured factors. Excluded nodes and
 * nodes without a paid job get nothing. `payout` is PayFi's statement (`settleEpoch`); the
 * whole statement carries every node's factors and a content hash. Pure: the same input gives
 * the same bytes ({@link serializeStatement}).
 *
 * @throws {ComputeError} `COMPUTE_INVALID_ARGUMENT`, `COMPUTE_RECEIPT_INVALID`,
 * `COMPUTE_STATEMENT_MISMATCH`; CoreError `CORE_NO_ELIGIBLE_NODES` when no node scores.
 */
export function buildEpochStatement(input: EpochInput) {
  const e = parseArgs(epochInputSchema, input, 'epoch input')
  const currency = defaultConfig.computePricing.currency
  const receipts = [...e.receipts].sort((a, b) =>
    a.signed.receipt.jobId < b.signed.receipt.jobId ? -1 : 1,
  )
  const { clinics, nodes: paid } = meter(receipts, currency)
  const measured = [...e.nodes].sort((a, b) => (a.address < b.address ? -1 : 1))
  const missing = [...paid.keys()].filter((a) => !measured.some((m) => m.address === a))
  if (missing.length)
    throw mismatch(missing.map((a) => `receipts signed by ${a}, which was not measured`))
  const eligible = measured.filter((m) => !m.excluded && paid.has(m.address))
  const total = [...clinics.values()].reduce((t, c) => t + c.billed, 0n)
  const split = splitRevenue(total)
  const emission = epochEmission(miningEmissionSchedule(defaultConfig), { epoch: e.epoch })
  if (!eligible.length) throw mismatch(['no node in good standing has a paid job'])
  const revenue = shareContributorRevenue(
    split.contributors,
    eligible.map((m) => paid.get(m.address)!.billed),
  )
  const dividend = dividendShares(
    eligible.map((m) => ({
      id: m.address,
      region: m.region,
      gpuUnits: m.gpuUnits,
      uptimePpm: m.uptimePpm,
      latencyMs: m.latencyMs,
      throughput: Math.round((paid.get(m.address)!.jobs * 3600) / e.epochSeconds),
      gflopsPerWatt: measuredGflopsPerWatt(defaultConfig, {
        workSeconds: paid.get(m.address)!.workSeconds,
        measuredMicros: paid.get(m.address)!.micros,
        declaredWatts: m.powerWatts,
        backend: m.backend,
      }),
    })),
    emission,
  )
  const nodes = measured.map((m) => {
    const i = eligible.indexOf(m)
    const share = dividend.shares[i]
    return {
      ...m,
      jobs: paid.get(m.address)?.jobs ?? 0,
      billed: String(paid.get(m.address)?.billed ?? 0n),
      factors: share
        ? Object.fromEntries(Object.entries(share.factors).map(([k, v]) => [k, String(v)]))
        : null,
      score: String(share?.score ?? 0n),
      revenueShare: String(i >= 0 ? revenue[i]! : 0n),
      emission: String(share?.amount ?? 0n),
    }
  })
  const payoutBody = {
    version: 1 as const,
    epochId: e.epochId,
    currency: currency as 'CNY',
    nodes: nodes
      .filter((n) => n.factors)
      .map((n) => ({ address: n.address, revenueShare: n.revenueShare, emission: n.emission })),
    totals: { revenueShare: String(split.contributors), emission: String(emission) },
  }
  const payout = { ...payoutBody, contentHash: epochStatementHash(payoutBody) }
  const body = {
    version: 1,
    epochId: e.epochId,
    epoch: e.epoch,
    epochSeconds: e.epochSeconds,
    currency,
    revenue: Object.fromEntries(
      Object.entries({ total, ...split }).map(([k, v]) => [k, String(v)]),
    ),
    emission: String(emission),
    clinics: [...clinics.entries()]
      .sort()
      .map(([clinic, c]) => ({ clinic, jobs: c.jobs, billed: String(c.billed) })),
    nodes,
    receiptsHash: sha256Hex(canonicalJson(receipts)),
    payout,
  }
  return { ...body, contentHash: sha256Hex(canonicalJson(body)) }
}

export type ComputeEpochStatement = ReturnType<typeof buildEpochStatement>

/** The statement's bytes: canonical JSON (sorted keys) and a newline. */
export const serializeStatement = (s: ComputeEpochStatement) => `${canonicalJson(s)}\n`

import { z } from 'zod'
import { argument } from '../arguments.js'
import { zAmount, zBps, zId } from '../config/primitives.js'
import type { ComputePricing } from '../config/schema.js'
import { useSection } from '../config/useConfig.js'
import { BPS } from '../constants.js'
import { CoreError } from '../errors.js'
import { ceilDiv } from '../math/bigint.js'

const usageSchema = z
  .strictObject({
    /** GPU time on the reference GPU, in seconds (billed by the millisecond). */
    gpuSeconds: z.number().finite().min(0).optional(),
    /** Floating-point operations, when the job is metered by work rather than time. */
    flops: zAmount.optional(),
    /** Bytes moved in and out (images up, results down). */
    dataBytes: zAmount.default(0n),
    /** Urgency tier, a key of the schedule's `urgency` table. */
    urgency: zId.default('routine'),
    /** Specialised hardware, a key of the schedule's `hardware` table. */
    hardware: zId.default('standard'),
    /** Discount from the customer's staking tier, in basis points. */
    stakingDiscountBps: zBps.default(0),
  })
  .refine((u) => u.gpuSeconds !== undefined || u.flops !== undefined, {
    message: 'give gpuSeconds or flops',
    path: ['gpuSeconds'],
  })

export type ComputeUsage = z.input<typeof usageSchema>

export type QuoteLineItem = {
  kind: 'gpu-time' | 'flops' | 'urgency' | 'hardware' | 'data' | 'minimum' | 'staking-discount'
  description: string
  /** Minor units; negative for a discount. */
  amount: bigint
}

export type QuoteComputeReturnType = {
  currency: string
  lines: QuoteLineItem[]
  /** Sum of the lines. */
  total: bigint
}

/** A usage names an urgency or hardware tier the price schedule does not have. */
function tierOf(table: Readonly<Record<string, number>>, name: string, key: string): number {
  const bps = table[key]
  if (bps !== undefined) return bps
  const known = Object.keys(table)
  throw new CoreError('CORE_UNKNOWN_TIER', `Unknown ${name} tier "${key}".`, {
    details: { table: name, key, known },
    metaMessages: [`Known tiers: ${known.join(', ')}`],
  })
}

export type QuoteComputeErrorType = CoreError

const MS_PER_HOUR = 3_600_000n
const FLOPS_PER_EXAFLOP = 10n ** 18n
const BYTES_PER_GIB = 1n << 30n

/**
 * Prices a compute job, returning its line items and their total, in the schedule's currency
 * minor units. Charges round up to the next minor unit, discounts round down.
 *
 * - compute intensity: GPU time (per GPU-hour, billed by the millisecond) and/or FLOPs (per exaFLOP);
 * - urgency: the tier's multiplier applied to the compute charge (`routine` 1x, `urgent`, `stat`);
 * - specialised hardware: a surcharge on the compute charge;
 * - data volume: per GiB moved;
 * - a minimum charge, then the staking discount on the whole.
 *
 * @param pricing - the price schedule, `config.computePricing`.
 * @param usage - what the job uses.
 * @returns the quote with its lines; `total` is their sum.
 * @throws {CoreError} `CORE_UNKNOWN_TIER` for an urgency or hardware tier not in the schedule;
 * `CORE_INVALID_ARGUMENT` for an invalid usage, `CORE_INVALID_CONFIG` for an invalid schedule.
 * @example
 * ```ts
 * import { defaultConfig, quoteCompute } from '@btt/core'
 * const quote = quoteCompute(defaultConfig.computePricing, { gpuSeconds: 3600, urgency: 'stat' })
 * quote.total // 3000n (12 CNY × 2.5, in fen)
 * ```
 */
export function quoteCompute(pricing: ComputePricing, usage: ComputeUsage): QuoteComputeReturnType {
  const schedule = useSection(pricing, 'computePricing')
  const u = argument(usageSchema, usage, 'compute usage')
  const urgencyBps = tierOf(schedule.urgency, 'urgency', u.urgency)
  const hardwareBps = tierOf(schedule.hardware, 'hardware', u.hardware)

  const lines: QuoteLineItem[] = []
  let compute = 0n
  if (u.gpuSeconds !== undefined) {
    const ms = BigInt(Math.round(u.gpuSeconds * 1000))
    const amount = ceilDiv(ms * schedule.pricePerGpuHour, MS_PER_HOUR)
    lines.push({ kind: 'gpu-time', description: `${u.gpuSeconds} GPU-seconds`, amount })
    compute += amount
  }
  if (u.flops !== undefined) {
    const amount = ceilDiv(u.flops * schedule.pricePerExaflop, FLOPS_PER_EXAFLOP)
    lines.push({ kind: 'flops', description: `${u.flops} FLOPs`, amount })
    compute += amount
  }
  if (urgencyBps !== 10_000) {
    const delta = BigInt(urgencyBps) - BPS
    const amount = delta > 0n ? ceilDiv(compute * delta, BPS) : -((compute * -delta) / BPS)
    lines.push({ kind: 'urgency', description: `${u.urgency} (${urgencyBps / 100}%)`, amount })
  }
  if (hardwareBps > 0) {
    const amount = ceilDiv(compute * BigInt(hardwareBps), BPS)
    lines.push({ kind: 'hardware', description: `${u.hardware} (+${hardwareBps / 100}%)`, amount })
  }
  if (u.dataBytes > 0n) {
    const amount = ceilDiv(u.dataBytes * schedule.pricePerGib, BYTES_PER_GIB)
    lines.push({ kind: 'data', description: `${u.dataBytes} bytes`, amount })
  }
  let subtotal = lines.reduce((sum, line) => sum + line.amount, 0n)
  if (subtotal < schedule.minimumCharge) {
    lines.push({
      kind: 'minimum',
      description: 'minimum charge',
      amount: schedule.minimumCharge - subtotal,
    })
    subtotal = schedule.minimumCharge
  }
  if (u.stakingDiscountBps > 0) {
    const amount = -((subtotal * BigInt(u.stakingDiscountBps)) / BPS)
    lines.push({
      kind: 'staking-discount',
      description: `staking discount (${u.stakingDiscountBps / 100}%)`,
      amount,
    })
  }
  const total = lines.reduce((sum, line) => sum + line.amount, 0n)
  return { currency: schedule.currency, lines, total }
}

import { z } from 'zod'
import { amountArgument, argument } from '../arguments.js'
import { defaultConfig } from '../config/parseConfig.js'
import { zAmount, zBps, zId } from '../config/primitives.js'
import type { EngineConfig } from '../config/schema.js'
import { useConfig } from '../config/useConfig.js'
import type { CoreError } from '../errors.js'
import { type FeeQuote, feeExceedsGross, feeQuote, tierFor, unknownFeeClass } from './feeQuote.js'

type Config = Pick<EngineConfig, 'fees'>

export type TokenizationFeeErrorType = CoreError

function lookup(table: Readonly<Record<string, number>>, key: string, name: string): number {
  const value = table[key]
  if (value === undefined) throw unknownFeeClass(name, key, Object.keys(table))
  return value
}

const mintingSchema = z.strictObject({ complexity: zId, regulatory: zId })

/**
 * Minting fee for tokenizing an asset: base rate plus surcharges for the asset's complexity,
 * regulatory burden and valuation band, clamped to the schedule's 1–3% range.
 *
 * @param value - the asset's appraised value, in base units.
 * @param asset - `{ complexity, regulatory }`, keys of the schedule's tables.
 * @param config - engine config; the model's defaults when omitted.
 * @returns gross (the value), fee and net, with `fee + net = gross`.
 * @throws {CoreError} `CORE_UNKNOWN_FEE_CLASS` for a complexity or regulatory level the schedule
 * does not list; `CORE_INVALID_ARGUMENT` / `CORE_NEGATIVE_AMOUNT` for an amount that is not a
 * non-negative bigint, `CORE_INVALID_ARGUMENT` for other bad arguments, `CORE_INVALID_CONFIG`
 * for an invalid config.
 * @example
 * ```ts
 * import { mintingFee } from '@btt/core'
 * mintingFee(100_000_000n, { complexity: 'high', regulatory: 'regulated' }).bps // 275
 * ```
 */
export function mintingFee(
  value: bigint,
  asset: z.input<typeof mintingSchema>,
  config: Config = defaultConfig,
): FeeQuote {
  const gross = amountArgument(value, 'The asset value')
  const { complexity, regulatory } = argument(mintingSchema, asset, 'asset')
  const m = useConfig(config, ['fees']).fees.tokenization.minting
  const band = tierFor(m.valuation, gross, (t) => t.minValue)
  const raw =
    m.baseBps +
    lookup(m.complexity, complexity, 'complexity') +
    lookup(m.regulatory, regulatory, 'regulatory level') +
    band.bps
  const bps = Math.min(m.maxBps, Math.max(m.minBps, raw))
  return feeQuote(gross, [{ label: 'minting', bps }])
}

/**
 * Fee on a secondary trade of a tokenized asset: 1.0% falling to 0.5% for larger trades.
 *
 * @param amount - the trade's notional, in base units.
 * @param config - engine config; the model's defaults when omitted.
 * @returns gross, fee and net.
 * @throws {CoreError} `CORE_INVALID_ARGUMENT` / `CORE_NEGATIVE_AMOUNT` for an amount that is not a
 * non-negative bigint, `CORE_INVALID_ARGUMENT` for other bad arguments, `CORE_INVALID_CONFIG`
 * for an invalid config.
 * @example
 * ```ts
 * import { secondaryTradeFee } from '@btt/core'
 * secondaryTradeFee(10_000n).fee // 100n
 * ```
 */
export function secondaryTradeFee(amount: bigint, config: Config = defaultConfig): FeeQuote {
  const gross = amountArgument(amount, 'The trade amount')
  const tier = tierFor(
    useConfig(config, ['fees']).fees.tokenization.secondary,
    gross,
    (t) => t.minAmount,
  )
  return feeQuote(gross, [{ label: 'secondary trade', bps: tier.bps }])
}

const revaluationSchema = z.strictObject({ assetClass: zId })

/**
 * Fee for a periodic revaluation, 0.25–0.5% of the asset's value by asset class.
 *
 * @throws {CoreError} `CORE_UNKNOWN_FEE_CLASS` for an asset class the schedule does not list;
 * `CORE_INVALID_ARGUMENT` / `CORE_NEGATIVE_AMOUNT` for an amount that is not a
 * non-negative bigint, `CORE_INVALID_ARGUMENT` for other bad arguments, `CORE_INVALID_CONFIG`
 * for an invalid config.
 * @example
 * ```ts
 * import { revaluationFee } from '@btt/core'
 * revaluationFee(10_000n, { assetClass: 'complex' }).fee // 50n
 * ```
 */
export function revaluationFee(
  value: bigint,
  parameters: { assetClass: string },
  config: Config = defaultConfig,
): FeeQuote {
  const gross = amountArgument(value, 'The asset value')
  const { assetClass } = argument(revaluationSchema, parameters, 'revaluation')
  const bps = lookup(
    useConfig(config, ['fees']).fees.tokenization.revaluation,
    assetClass,
    'asset class',
  )
  return feeQuote(gross, [{ label: 'revaluation', bps }])
}

const liquiditySchema = z.strictObject({
  /** End-of-day pool values, one per day of the period, in base units. */
  dailyBalances: z.array(zAmount).min(1),
  /** Annual rate; the schedule's default (1.5%) when omitted, bounded to its 1–2% range. */
  annualBps: zBps.optional(),
})

/**
 * Liquidity-pool management fee, 1–2% a year accrued per day on each day's balance and rounded
 * once, half up, at the end of the period. It is taken from the final balance.
 *
 * @param parameters - `{ dailyBalances, annualBps? }`.
 * @param config - engine config; the model's defaults when omitted.
 * @returns gross (the final balance), fee and net.
 * @throws {CoreError} `CORE_UNKNOWN_FEE_CLASS` for a rate outside the schedule's range,
 * `CORE_FEE_EXCEEDS_GROSS` when the fee is above the final balance, `CORE_INVALID_ARGUMENT` /
 * `CORE_INVALID_CONFIG` for invalid arguments.
 * @example
 * ```ts
 * import { liquidityManagementFee } from '@btt/core'
 * liquidityManagementFee({ dailyBalances: Array(365).fill(1_000_000n), annualBps: 200 }).fee // 20000n
 * ```
 */
export function liquidityManagementFee(
  parameters: z.input<typeof liquiditySchema>,
  config: Config = defaultConfig,
): FeeQuote {
  const { dailyBalances, annualBps } = argument(liquiditySchema, parameters, 'liquidity period')
  const l = useConfig(config, ['fees']).fees.tokenization.liquidityManagement
  const bps = annualBps ?? l.defaultAnnualBps
  if (bps < l.minAnnualBps || bps > l.maxAnnualBps)
    throw unknownFeeClass('annual liquidity rate', `${bps} bps`, [
      `${l.minAnnualBps}..${l.maxAnnualBps} bps`,
    ])
  const sum = dailyBalances.reduce((a, b) => a + b, 0n)
  const denominator = 10_000n * BigInt(l.daysPerYear)
  const fee = (sum * BigInt(bps) * 2n + denominator) / (2n * denominator)
  const gross = dailyBalances[dailyBalances.length - 1]!
  if (fee > gross) throw feeExceedsGross(fee, gross)
  return {
    gross,
    fee,
    net: gross - fee,
    bps,
    lines: [{ label: `liquidity management (${dailyBalances.length} days)`, bps, amount: fee }],
  }
}

const listingSchema = z.strictObject({ months: z.number().int().min(1).max(120) })

/**
 * Premium listing: a monthly rate on the listed asset's value for prominent placement.
 *
 * @throws {CoreError} `CORE_FEE_EXCEEDS_GROSS` when the months' rate passes 100%; `CORE_INVALID_ARGUMENT` / `CORE_NEGATIVE_AMOUNT` for an amount that is not a
 * non-negative bigint, `CORE_INVALID_ARGUMENT` for other bad arguments, `CORE_INVALID_CONFIG`
 * for an invalid config.
 * @example
 * ```ts
 * import { premiumListingFee } from '@btt/core'
 * premiumListingFee(1_000_000n, { months: 3 }).fee // 1500n
 * ```
 */
export function premiumListingFee(
  value: bigint,
  parameters: { months: number },
  config: Config = defaultConfig,
): FeeQuote {
  const gross = amountArgument(value, 'The asset value')
  const { months } = argument(listingSchema, parameters, 'premium listing')
  const perMonth = useConfig(config, ['fees']).fees.tokenization.premiumListingBpsPerMonth
  return feeQuote(gross, [
    {
      label: `premium listing (${months} months)`,
      bps: perMonth * months,
    },
  ])
}

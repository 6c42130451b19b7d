import { z } from 'zod'
import { amountArgument, optionsArgument } from '../arguments.js'
import { defaultConfig } from '../config/parseConfig.js'
import { zAmount, zBps } from '../config/primitives.js'
import type { EngineConfig } from '../config/schema.js'
import { useConfig } from '../config/useConfig.js'
import { BPS } from '../constants.js'
import type { CoreError } from '../errors.js'
import { type FeeQuote, feeQuote, tierFor } from './feeQuote.js'

const optionsSchema = z.strictObject({
  /** The merchant's volume this month, minor units; picks the 0.8%..0.5% tier. */
  monthlyVolume: zAmount.default(0n),
  /** The payment crosses currencies: adds the FX conversion fee (0.75%). */
  fx: z.boolean().default(false),
  /** The merchant takes the analytics add-on (0.25%). */
  analytics: z.boolean().default(false),
  /** Staking discount on the standard fee, in basis points. */
  stakingDiscountBps: zBps.default(0),
})

export type PayfiFeeOptions = z.input<typeof optionsSchema>
export type PayfiFeeErrorType = CoreError

/**
 * Fee on a healthcare payment: the standard rate by monthly volume (0.8% → 0.5%), less any staking
 * discount, plus FX conversion (0.75%) and the analytics add-on (0.25%) when they apply.
 *
 * @param amount - the payment, in minor units.
 * @param options - `{ monthlyVolume?, fx?, analytics?, stakingDiscountBps? }`.
 * @param config - engine config; the model's defaults when omitted.
 * @returns gross, fee and net with one line per component.
 * @throws {CoreError} `CORE_FEE_EXCEEDS_GROSS` when the lines pass 100%; `CORE_INVALID_ARGUMENT` / `CORE_NEGATIVE_AMOUNT` for an amount that is not a
 * non-negative bigint, `CORE_INVALID_ARGUMENT` for other bad arguments, `CORE_INVALID_CONFIG`
 * for an invalid config.
 * @example
 * ```ts
 * import { payfiFee } from '@btt/core'
 * payfiFee(100_000n, { fx: true }).fee // 1550n (0.8% + 0.75%)
 * ```
 */
export function payfiFee(
  amount: bigint,
  options: PayfiFeeOptions = {},
  config: Pick<EngineConfig, 'fees'> = defaultConfig,
): FeeQuote {
  const gross = amountArgument(amount, 'The payment amount')
  const o = optionsArgument(optionsSchema, options, 'payment fee options')
  const p = useConfig(config, ['fees']).fees.payfi
  const tier = tierFor(p.standard, o.monthlyVolume, (t) => t.minAmount)
  const standardBps = Number((BigInt(tier.bps) * (BPS - BigInt(o.stakingDiscountBps))) / BPS)
  const lines = [{ label: 'standard', bps: standardBps }]
  if (o.fx) lines.push({ label: 'fx conversion', bps: p.fxBps })
  if (o.analytics) lines.push({ label: 'analytics add-on', bps: p.analyticsBps })
  return feeQuote(gross, lines)
}

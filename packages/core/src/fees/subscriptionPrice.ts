import { z } from 'zod'
import { argument } from '../arguments.js'
import { defaultConfig } from '../config/parseConfig.js'
import { zId } from '../config/primitives.js'
import type { EngineConfig } from '../config/schema.js'
import { useConfig } from '../config/useConfig.js'
import type { CoreError } from '../errors.js'
import { bpsOf, unknownFeeClass } from './feeQuote.js'

const parametersSchema = z.strictObject({
  /** Clinic size, a key of `fees.subscriptions.monthly`. */
  size: zId,
  months: z.number().int().min(1).max(120).default(1),
})

export type SubscriptionPriceErrorType = CoreError

export type SubscriptionPriceReturnType = {
  currency: string
  monthly: bigint
  months: number
  /** List price for the period. */
  gross: bigint
  /** Annual prepay discount (12 months or more). */
  discount: bigint
  /** What the provider pays: `gross - discount`. */
  net: bigint
}

/**
 * Patient-platform subscription price for a provider, by clinic size (3,000–25,000 CNY a month).
 *
 * @param parameters - `{ size, months? }`.
 * @param config - engine config; the model's defaults when omitted.
 * @returns list price, discount and the price to pay, with `discount + net = gross`.
 * @throws {CoreError} `CORE_UNKNOWN_FEE_CLASS` for a clinic size the schedule does not list;
 * `CORE_INVALID_ARGUMENT` / `CORE_INVALID_CONFIG` for invalid arguments.
 * @example
 * ```ts
 * import { subscriptionPrice } from '@btt/core'
 * subscriptionPrice({ size: 'clinic-small' }).net // 300000n (3,000 CNY in fen)
 * ```
 */
export function subscriptionPrice(
  parameters: z.input<typeof parametersSchema>,
  config: Pick<EngineConfig, 'fees'> = defaultConfig,
): SubscriptionPriceReturnType {
  const { size, months } = argument(parametersSchema, parameters, 'subscription')
  const s = useConfig(config, ['fees']).fees.subscriptions
  const monthly = s.monthly[size]
  if (monthly === undefined) throw unknownFeeClass('clinic size', size, Object.keys(s.monthly))
  const gross = monthly * BigInt(months)
  const discount = months >= 12 ? bpsOf(gross, s.annualPrepayDiscountBps) : 0n
  return { currency: s.currency, monthly, months, gross, discount, net: gross - discount }
}

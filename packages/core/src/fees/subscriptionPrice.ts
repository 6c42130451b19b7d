import { z } from 'zod'
import { defaultConfig } from '../config/parseConfig.js'
import { zId } from '../config/primitives.js'
import type { EngineConfig } from '../config/schema.js'
import { parseWith } from '../errors/validation.js'
import { bpsOf } from './feeQuote.js'
import { UnknownFeeClassError } from './tokenizationFees.js'

const parametersSchema = z.strictObject({
  /** Clinic size, a key of `fees.subscriptions.monthly`. */
  size: zId,
  months: z.number().int().min(1).max(120).default(1),
})

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
  const { size, months } = parseWith(parametersSchema, parameters, 'subscription')
  const s = config.fees.subscriptions
  const monthly = s.monthly[size]
  if (monthly === undefined)
    throw new UnknownFeeClassError('clinic size', size, Object.keys(s.monthly))
  const gross = monthly * BigInt(months)
  const discount = months >= 12 ? bpsOf(gross, s.annualPrepayDiscountBps) : 0n
  return { currency: s.currency, monthly, months, gross, discount, net: gross - discount }
}

import { type EngineConfig, type SubscriptionPriceReturnType, subscriptionPrice } from '@btt/core'
import type { Currency, Ledger } from '@btt/payfi'
import { ConnectorsError } from '../errors.js'

/**
 * Bills a provider's programme subscription for a period by clinic size (`subscriptionPrice`
 * from @btt/core: the tier's monthly price × months, less the annual prepay discount), posted
 * once per clinic and period as receivable → subscription revenue in the schedule's currency.
 */
export async function billSubscription(
  ledger: Ledger,
  config: Pick<EngineConfig, 'fees'>,
  o: { clinicId: string; size: string; period: string; months?: number },
): Promise<SubscriptionPriceReturnType & { invoiceId: string; replayed: boolean }> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,40}$/.test(o.clinicId) || !/^\d{4}-\d{2}$/.test(o.period))
    throw new ConnectorsError(
      'CONNECTORS_INVALID_ARGUMENT',
      'A bill needs an opaque clinic id and a period YYYY-MM.',
      {
        details: { period: String(o.period) },
      },
    )
  const price = subscriptionPrice({ size: o.size, months: o.months ?? 1 }, config)
  const currency = price.currency as Currency
  const receivable = `receivable:${o.clinicId}:${currency}`
  const revenue = `revenue:subscriptions:${currency}`
  const invoiceId = `sub-${o.clinicId}-${o.period}`
  await ledger.createAccounts([
    { id: receivable, currency },
    { id: revenue, currency },
  ])
  const result = await ledger.write({
    id: `subscription:${o.clinicId}:${o.period}`,
    legs: [{ debit: receivable, credit: revenue, amount: price.net }],
    metadata: { clinic_id: o.clinicId, invoice_id: invoiceId },
  })
  if (result.outcome !== 'committed')
    throw new ConnectorsError(
      'INCENTIVE_LEDGER_FAILED',
      'The ledger did not commit a subscription bill.',
      {
        details: {
          outcome: result.outcome,
          code: result.outcome === 'refused' ? result.code : null,
        },
      },
    )
  return { ...price, invoiceId, replayed: result.replayed }
}

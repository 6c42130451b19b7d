import type { Ledger } from '@btt/payfi'
import { ConnectorsError } from '../errors.js'

export type RedemptionSplit = { fee: bigint; net: bigint }

/**
 * A redemption's split: the partner's fee is `points × feeBps / 10 000`, rounded half up (as
 * @btt/core's fees are), and `fee + net = points` exactly.
 */
export function redemptionSplit(points: bigint, feeBps: number): RedemptionSplit {
  if (points <= 0n || !Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000)
    throw new ConnectorsError(
      'CONNECTORS_INVALID_ARGUMENT',
      'A redemption needs points > 0 and a fee of 0–10 000 bps.',
      {
        details: { points: points.toString(), feeBps },
      },
    )
  const fee = (points * BigInt(feeBps) + 5_000n) / 10_000n
  return { fee, net: points - fee }
}

export const FEES_ACCOUNT = 'fees:redemption:POINTS'
export const partnerAccount = (partner: string) => `partner:${partner}:POINTS`

/**
 * Moves points from a patient to a partner, less the partner's redemption fee, once per
 * idempotency key. More points than the patient holds → `INCENTIVE_INSUFFICIENT_POINTS`.
 */
export async function redeemPoints(
  ledger: Ledger,
  o: { account: string; partner: string; points: bigint; feeBps: number; idempotencyKey: string },
): Promise<RedemptionSplit & { replayed: boolean }> {
  const split = redemptionSplit(o.points, o.feeBps)
  await ledger.createAccounts([
    { id: partnerAccount(o.partner), currency: 'POINTS' },
    { id: FEES_ACCOUNT, currency: 'POINTS' },
  ])
  const legs = [
    ...(split.net > 0n
      ? [{ debit: o.account, credit: partnerAccount(o.partner), amount: split.net }]
      : []),
    ...(split.fee > 0n ? [{ debit: o.account, credit: FEES_ACCOUNT, amount: split.fee }] : []),
  ]
  const result = await ledger.write({
    id: `redeem:${o.idempotencyKey}`,
    legs,
    metadata: { merchant_id: o.partner },
  })
  if (result.outcome === 'committed') return { ...split, replayed: result.replayed }
  if (
    result.outcome === 'refused' &&
    ['PAYFI_EXCEEDS_CREDITS', 'PAYFI_ACCOUNT_NOT_FOUND'].includes(result.code)
  )
    throw new ConnectorsError(
      'INCENTIVE_INSUFFICIENT_POINTS',
      'The patient holds fewer points than the redemption asks.',
      {
        details: { points: o.points.toString() },
      },
    )
  throw new ConnectorsError(
    'INCENTIVE_LEDGER_FAILED',
    'The points ledger did not commit a redemption.',
    {
      details: { outcome: result.outcome, code: result.outcome === 'refused' ? result.code : null },
    },
  )
}

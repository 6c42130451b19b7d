import { type AwardResult, createIncentiveLedger } from '@btt/core'
import type { Ledger } from '@btt/payfi'

/** The same accounts as @btt/connectors' incentive engine: a pool and one account per pseudonym. */
export const POOL_ACCOUNT = 'incentives:pool:POINTS'
export const patientAccount = (pseudonym: string) => `patient:${pseudonym}:POINTS`

/**
 * Step 8: the screening visit is a preventive-care event; @btt/core's incentive rules award its
 * points (caps, duplicates and the community pool applied), and the award is posted to PayFi's
 * ledger in the POINTS unit under the patient's pseudonym — no name or MRN reaches the ledger.
 */
export async function awardVisit(
  ledger: Ledger,
  o: { pseudonym: string; eventId: string; at: number },
): Promise<{ award: AwardResult; repeat: AwardResult; balance: bigint }> {
  const rules = createIncentiveLedger()
  const event = { id: o.eventId, patientId: o.pseudonym, kind: 'preventive-visit', at: o.at }
  const award = rules.award(event)
  const repeat = rules.award(event) // the same event delivered twice pays once
  const account = patientAccount(o.pseudonym)
  const created = await ledger.createAccounts([
    { id: POOL_ACCOUNT, currency: 'POINTS' },
    { id: account, currency: 'POINTS', flags: { debitsMustNotExceedCredits: true } },
  ])
  if (created.outcome !== 'committed') throw created.error
  if (award.points > 0) {
    const written = await ledger.write({
      id: `points:${o.eventId}`,
      legs: [{ debit: POOL_ACCOUNT, credit: account, amount: BigInt(award.points) }],
      metadata: { operation: 'points_award' },
    })
    if (written.outcome !== 'committed') throw written.error
  }
  const a = await ledger.getAccount(account)
  return { award, repeat, balance: (a?.creditsPosted ?? 0n) - (a?.debitsPosted ?? 0n) }
}

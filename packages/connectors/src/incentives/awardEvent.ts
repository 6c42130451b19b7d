import { createHash, createHmac } from 'node:crypto'
import { createIncentiveLedger, type EngineConfig, MONTH } from '@btt/core'
import type { Ledger } from '@btt/payfi'
import { ConnectorsError } from '../errors.js'
import type { FhirClient } from '../fhir/createFhirClient.js'
import type { CareEventCandidate } from './careEventOf.js'
import { consentPeriods, covers } from './consent.js'
import type { IntakeStore } from './intakeStore.js'

export type IntakeStatus =
  | 'awarded'
  | 'capped'
  | 'pool-exhausted'
  | 'duplicate'
  | 'no-consent'
  | 'not-eligible'
  | 'unknown-patient'

export type IntakeOutcome = {
  eventId: string
  status: IntakeStatus
  points: number
  /** Why an event was refused, where that is an error of the EHR's data. */
  code?: 'INCENTIVE_UNKNOWN_PATIENT'
}

export type AwardContext = {
  fhir: FhirClient
  ledger: Ledger
  store: IntakeStore
  config: Pick<EngineConfig, 'incentives' | 'allocation' | 'token'>
  initialPool: bigint
  pseudonymKey: string
  consentPolicy: string
}

export const POOL_ACCOUNT = 'incentives:pool:POINTS'
/** A patient's pseudonym: an HMAC of the FHIR reference, so no MRN or FHIR id reaches the ledger. */
export const pseudonymOf = (key: string, patient: string) =>
  `p_${createHmac('sha256', key).update(patient).digest('hex').slice(0, 32)}`
export const patientAccount = (pseudonym: string) => `patient:${pseudonym}:POINTS`
const transferId = (eventId: string) =>
  `award:${createHash('sha256').update(eventId).digest('hex').slice(0, 40)}`

async function patientKnown(fhir: FhirClient, patient: string): Promise<boolean> {
  try {
    await fhir.request('GET', patient)
    return true
  } catch (error) {
    const status = (error as ConnectorsError).details?.status
    if (
      error instanceof ConnectorsError &&
      error.code === 'FHIR_HTTP_ERROR' &&
      (status === 404 || status === 410)
    )
      return false
    throw error
  }
}

/** Posts `points` to the patient's account once (transfer id from the event id); answers the points posted. */
async function post(
  ctx: AwardContext,
  eventId: string,
  pseudonym: string,
  points: number,
  kind: string,
): Promise<number> {
  const id = transferId(eventId)
  const existing = await ctx.ledger.lookupTransfer(id)
  if (existing) return Number(existing.legs[0]?.amount ?? 0n) // written before a crash: keep what was posted
  await ctx.ledger.createAccounts([
    { id: POOL_ACCOUNT, currency: 'POINTS' },
    {
      id: patientAccount(pseudonym),
      currency: 'POINTS',
      flags: { debitsMustNotExceedCredits: true },
    },
  ])
  const result = await ctx.ledger.write({
    id,
    legs: [{ debit: POOL_ACCOUNT, credit: patientAccount(pseudonym), amount: BigInt(points) }],
    metadata: { service_code: kind },
  })
  if (result.outcome !== 'committed')
    throw new ConnectorsError(
      'INCENTIVE_LEDGER_FAILED',
      'The points ledger did not commit an award.',
      {
        details: {
          outcome: result.outcome,
          code: result.outcome === 'refused' ? result.code : null,
        },
      },
    )
  return points
}

/**
 * Awards one care event under @btt/core's rules, exactly once: an event id already awarded is a
 * duplicate; an unknown patient or one without an active programme Consent covering the event's
 * time earns nothing and leaves no trace; caps are applied per patient, per month and lifetime,
 * from the durable award history (so out-of-order events are capped as the rules say).
 */
export async function awardEvent(ctx: AwardContext, c: CareEventCandidate): Promise<IntakeOutcome> {
  if (ctx.store.award(c.eventId)) return { eventId: c.eventId, status: 'duplicate', points: 0 }
  if (!(await patientKnown(ctx.fhir, c.patient)))
    return {
      eventId: c.eventId,
      status: 'unknown-patient',
      points: 0,
      code: 'INCENTIVE_UNKNOWN_PATIENT',
    }
  if (!covers(await consentPeriods(ctx.fhir, c.patient, ctx.consentPolicy), c.at))
    return { eventId: c.eventId, status: 'no-consent', points: 0 }
  const pseudonym = pseudonymOf(ctx.pseudonymKey, c.patient)
  const month = Math.floor((c.at - ctx.config.token.genesis) / MONTH)
  const sums = ctx.store.sums(pseudonym, month)
  const rules = createIncentiveLedger(ctx.config, {
    snapshot: {
      poolRemaining: ctx.initialPool - ctx.store.tokensAwarded(),
      seen: [],
      patients: { [pseudonym]: { lifetime: sums.lifetime, month, monthPoints: sums.month } },
    },
  })
  const award = rules.award({ id: c.eventId, patientId: pseudonym, kind: c.kind, at: c.at })
  const points = award.points > 0 ? await post(ctx, c.eventId, pseudonym, award.points, c.kind) : 0
  const tokens = BigInt(points) * ctx.config.incentives.tokensPerPoint
  ctx.store.insertAward({
    eventId: c.eventId,
    patient: pseudonym,
    month,
    points,
    tokens,
    kind: c.kind,
    status: award.status,
  })
  return { eventId: c.eventId, status: award.status, points }
}

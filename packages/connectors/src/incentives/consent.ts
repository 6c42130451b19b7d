import type { Consent } from '@medplum/fhirtypes'
import type { FhirClient } from '../fhir/createFhirClient.js'

/** The policy URI a Consent names (Consent.policy.uri) to cover the incentive programme. */
export const INCENTIVE_CONSENT_POLICY = 'https://btt.health/fhir/consent/incentive-programme'

const seconds = (d: string | undefined) =>
  d && Number.isFinite(Date.parse(d)) ? Math.floor(Date.parse(d) / 1000) : undefined

/**
 * The periods in which a patient's active programme Consents permit processing, as
 * `[start, end)` unix seconds (end may be Infinity); empty when the patient has no active
 * Consent for the programme (never given, or revoked: status no longer `active`).
 */
export async function consentPeriods(
  fhir: FhirClient,
  patient: string,
  policy: string,
): Promise<[number, number][]> {
  const consents = await fhir.search<Consent>('Consent', {
    patient,
    status: 'active',
    _count: '100',
  })
  return consents
    .filter((c) => c.status === 'active' && c.provision?.type !== 'deny')
    .filter((c) => (c.policy ?? []).some((p) => p.uri === policy))
    .map((c) => [
      seconds(c.provision?.period?.start) ?? seconds(c.dateTime) ?? 0,
      seconds(c.provision?.period?.end) ?? Number.POSITIVE_INFINITY,
    ])
}

/** True when `at` lies in one of the periods. */
export const covers = (periods: [number, number][], at: number) =>
  periods.some(([s, e]) => at >= s && at < e)

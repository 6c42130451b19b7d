import { createIncentiveLedger } from '@btt/core'
import type { Consent, Resource } from '@medplum/fhirtypes'
import { INCENTIVE_CONSENT_POLICY } from '../../src/incentives/consent.js'

export const day = (d: number, month = 1) =>
  `2026-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}T10:00:00Z`

export const consentFor = (
  patient: string,
  start: string,
  status: Consent['status'] = 'active',
): Consent => ({
  resourceType: 'Consent',
  status,
  scope: {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' },
    ],
  },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  patient: { reference: patient },
  dateTime: start,
  policy: [{ uri: INCENTIVE_CONSENT_POLICY }],
  provision: { type: 'permit', period: { start } },
})

export const preventiveVisit = (patient: string, at: string): Resource => ({
  resourceType: 'Encounter',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  type: [
    {
      coding: [
        { system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up' },
      ],
    },
  ],
  subject: { reference: patient },
  period: { start: at, end: at },
})
export const immunization = (patient: string, at: string): Resource => ({
  resourceType: 'Immunization',
  status: 'completed',
  vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '140' }] },
  patient: { reference: patient },
  occurrenceDateTime: at,
})
export const carePlanDone = (patient: string, at: string): Resource => ({
  resourceType: 'CarePlan',
  status: 'completed',
  intent: 'plan',
  subject: { reference: patient },
  period: { start: at, end: at },
})
export const taskDone = (patient: string, at: string): Resource => ({
  resourceType: 'Task',
  status: 'completed',
  intent: 'order',
  for: { reference: patient },
  executionPeriod: { end: at },
})
export const steps = (patient: string, at: string, value: number): Resource => ({
  resourceType: 'Observation',
  status: 'final',
  code: {
    coding: [
      {
        system: 'http://loinc.org',
        code: '41950-7',
        display: 'Number of steps in 24 hour Measured',
      },
    ],
  },
  subject: { reference: patient },
  effectiveDateTime: at,
  valueQuantity: { value, unit: 'steps', system: 'http://unitsofmeasure.org', code: '{steps}' },
})

/** What @btt/core's rules pay for these events, applied once each in time order (the reference). */
export function expectedPoints(
  events: { id: string; patientId: string; kind: string; at: number }[],
): Map<string, number> {
  const ledger = createIncentiveLedger()
  const seen = new Set<string>()
  for (const e of [...events].sort((a, b) => a.at - b.at))
    if (!seen.has(e.id)) {
      seen.add(e.id)
      ledger.award(e)
    }
  return new Map([...new Set(events.map((e) => e.patientId))].map((p) => [p, ledger.pointsOf(p)]))
}
